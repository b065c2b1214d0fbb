using System.Text.Json;
using ConvService.Api.Contracts;
using ConvService.Api.Errors;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.Learn;
using ConvService.Api.Wire;
using ConvService.Domain.Geometry;
using FluentValidation;

namespace ConvService.Api.Plans.Learn;

/// <summary>
/// A /check request resolved once: the graded route's own request, bound, validated and planned by that route's rules
/// (every problem named <c>request.field</c>), the answer's tensors, the tolerance, and the cost: at most twice the
/// route's (the route once, then the first wrong cells' sums, each at most its share of the route's work).
/// </summary>
/// <param name="Route">The graded route.</param>
/// <param name="Request">The route's request, carrying its plan.</param>
/// <param name="Answer">The answer's tensors by field.</param>
/// <param name="Tolerance">A value is right within tolerance·max(1, |expected|).</param>
/// <param name="Cost">Twice the route's work.</param>
public sealed record CheckPlan(CheckedRoute Route, IPlannedRequest Request, IReadOnlyDictionary<string, RequestTensor> Answer, double Tolerance, Cost Cost) : IPlan, IDisposable
{
    /// <summary>How many wrong cells are explained.</summary>
    public const int ExplainedCells = 20;

    private static readonly JsonSerializerOptions WireOptions = Options();

    public DType Dtype => Request.Plan!.Dtype;

    public static PlanResult<CheckPlan> Create(string operation, JsonElement request, JsonElement answer, double tolerance, ServiceLimits limits)
    {
        if (!CheckedRoutes.All.TryGetValue(operation, out var route))
            return PlanResult<CheckPlan>.Failed("operation", $"operation must be a conv or pool route: {string.Join(", ", CheckedRoutes.All.Keys.Order())}; got \"{(operation.Length > 60 ? operation[..60] : operation)}\"");
        var options = WireOptions;
        var tensors = new Dictionary<string, RequestTensor>();
        IPlannedRequest? bound = null;
        var made = false;
        try
        {
            bound = Read(() => route.Read(request, options, limits), "request", out var readProblem);
            if (bound is null)
                return PlanResult<CheckPlan>.Failed([readProblem ?? new("request", $"request must be the body of {operation}")]);
            var problems = route.Validator.Validate(new ValidationContext<object>(bound)).Errors.Select(e => new ParameterProblem($"request.{e.PropertyName}", e.ErrorMessage)).ToList();
            var (planned, planProblems) = bound.Resolve(new PlanContext(limits, route.Metadata));
            problems.AddRange(planProblems.Select(p => p with { Parameter = $"request.{p.Parameter}" }));
            foreach (var field in answer.EnumerateObject())
            {
                if (!route.Fields.Contains(field.Name))
                    problems.Add(new($"answer.{field.Name}", $"{operation} answers {string.Join(", ", route.Fields)}; \"{field.Name}\" is not one of them"));
                else if (Read(() => TensorTokenParser.Parse(System.Text.Encoding.UTF8.GetBytes(field.Value.GetRawText()), limits.MaxElementsPerTensor), $"answer.{field.Name}", out var tensorProblem) is { } tensor)
                    tensors[field.Name] = tensor;
                else
                    problems.Add(tensorProblem!.Value);
            }
            if (problems.Count == 0 && tensors.Count == 0)
                problems.Add(new("answer", $"answer is empty: give at least one of {string.Join(", ", route.Fields)}, shaped as {operation} answers it"));
            var cost = planned?.Plan?.Cost is { } c ? c with { Work = c.Work > long.MaxValue / 2 ? long.MaxValue : 2 * c.Work } : default;
            if (problems.Count == 0 && cost.Work > limits.MaxWork)
                problems.Add(new("request", $"grading costs twice the route's work, {cost.Work}; the limit per request is {limits.MaxWork}: check a smaller problem"));
            if (problems.Count > 0)
                return PlanResult<CheckPlan>.Failed(problems);
            made = true;
            return new CheckPlan(route, planned!, tensors, tolerance, cost);
        }
        finally
        {
            // A plan owns the tensors (they go with the request); a refused request releases them here.
            if (!made)
                Release(bound, tensors);
        }
    }

    public void Dispose() => Release(Request, Answer);

    private static void Release(IPlannedRequest? request, IReadOnlyDictionary<string, RequestTensor> tensors)
    {
        (request as IDisposable)?.Dispose();
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }

    // The value read, or null with the problem naming where it went wrong ("request.input", "answer.output").
    private static T? Read<T>(Func<T?> read, string field, out ParameterProblem? problem) where T : class
    {
        try
        {
            problem = null;
            return read();
        }
        catch (JsonException error)
        {
            var inner = JsonProblems.FieldOf(error.Path);
            var name = field == "request" && inner != JsonProblems.BodyField ? $"request.{inner}" : field;
            problem = new ParameterProblem(name, error is WireFormatException ? error.Message : $"not the JSON this field holds: {error.Message.Split(" Path:")[0]}");
            return null;
        }
    }

    private static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        WireJson.Configure(options);
        return options;
    }
}
