namespace ConvService.Api.Json;

/// <summary>
/// How many numbers the tensors of the current request may still hold together. One budget per request
/// (opened by middleware before the body is read, see <c>Limits.UseRequestElementBudget</c>); the tensor reader
/// caps each tensor by what is left, so the total is refused before it is allocated.
/// </summary>
public sealed class ElementBudget(int limit)
{
    private int _spent;

    private static readonly AsyncLocal<ElementBudget?> CurrentBudget = new();

    /// <summary>The budget of the request being read; <see langword="null"/> outside a request (tests, tools).</summary>
    public static ElementBudget? Current
    {
        get => CurrentBudget.Value;
        set => CurrentBudget.Value = value;
    }

    public int Limit => limit;

    public int Remaining => Math.Max(0, limit - _spent);

    /// <summary>Records a tensor of <paramref name="count"/> numbers; the reader never reads more than <see cref="Remaining"/>.</summary>
    public void Spend(int count) => _spent = (int)Math.Min(int.MaxValue, (long)_spent + count);
}
