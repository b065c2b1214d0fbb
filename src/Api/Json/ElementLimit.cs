namespace ConvService.Api.Json;

/// <summary>
/// The most numbers a tensor may hold, and which limit set it: the per-tensor one, or what was left of the request's
/// budget. Refusals name it (<see cref="ToString"/>); the text is made only when one is written.
/// </summary>
internal readonly record struct ElementLimit(int Max, int RequestLimit = 0, bool ByRequest = false)
{
    /// <summary>The per-tensor limit or, when less is left, the request's <paramref name="budget"/>.</summary>
    public static ElementLimit Within(int maxElements, ElementBudget? budget) =>
        budget is null || budget.Remaining >= maxElements ? new(maxElements) : new(budget.Remaining, budget.Limit, ByRequest: true);

    public override string ToString() => ByRequest
        ? $"the limit per request is {RequestLimit} across all tensors and {Max} were left"
        : $"the limit per tensor is {Max}";
}
