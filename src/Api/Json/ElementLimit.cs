namespace ConvService.Api.Json;

/// <summary>
/// The most numbers a tensor may hold, and which limit set it: the per-tensor one, or what was left of the request's
/// budget. Refusals name it (<see cref="ToString"/>); the text is made only when one is written.
/// </summary>
internal readonly record struct ElementLimit(int Max, int? RequestLimit = null)
{
    /// <summary>The per-tensor limit or, when less is left, the request's <paramref name="budget"/>.</summary>
    public static ElementLimit Within(int maxElements, ElementBudget? budget) =>
        budget is null || budget.Remaining >= maxElements ? new(maxElements) : new(budget.Remaining, budget.Limit);

    public override string ToString() => RequestLimit is { } perRequest
        ? $"the limit per request is {perRequest} across all tensors and {Max} were left"
        : $"the limit per tensor is {Max}";
}
