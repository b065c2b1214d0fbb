namespace ConvService.Api.Json;

/// <summary>
/// How many numbers the tensors of one request may still hold together. The reader that binds a request opens one
/// and caps each tensor by what is left, so the total is refused before it is allocated.
/// </summary>
public sealed class ElementBudget(int limit)
{
    private int _spent;

    public int Limit => limit;

    public int Remaining => Math.Max(0, limit - _spent);

    /// <summary>Records a tensor of <paramref name="count"/> numbers; the readers never read more than <see cref="Remaining"/>.</summary>
    public void Spend(int count) => _spent = (int)Math.Min(int.MaxValue, (long)_spent + count);
}
