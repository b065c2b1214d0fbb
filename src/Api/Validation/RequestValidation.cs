using System.Reflection;
using System.Text.Json;
using ConvService.Api.Contracts;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Hosting;
using ConvService.Api.Plans;
using ConvService.Api.Validation.Learn;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Validation;

/// <summary>
/// One endpoint filter for every request type: at start-up it finds the handler's parameters that have an
/// <see cref="IValidator{T}"/> or are <see cref="IPlannedRequest"/>s; per request it runs the field rules, then makes
/// the plan once (see <see cref="IPlannedRequest"/>), answering a 400 validation problem before the handler runs.
/// Filters added after it see the planned request (and its cost) in the invocation's arguments.
/// </summary>
public static class RequestValidation
{
    private const string Title = "The request breaks the API contract.";

    /// <summary>Registers this assembly's validators and names fields in camelCase, as the JSON does.</summary>
    public static IServiceCollection AddRequestValidation(this IServiceCollection services)
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        // Named one by one rather than found by scanning the assembly, so that a trimmed (native) build keeps their constructors.
        return services
            .AddSingleton<IValidator<ConvForwardRequest>, ConvForwardRequestValidator>()
            .AddSingleton<IValidator<ConvBackwardRequest>, ConvBackwardRequestValidator>()
            .AddSingleton<IValidator<ConvTransposeForwardRequest>, ConvTransposeForwardRequestValidator>()
            .AddSingleton<IValidator<ConvTransposeBackwardRequest>, ConvTransposeBackwardRequestValidator>()
            .AddSingleton<IValidator<PoolForwardRequest>, PoolForwardRequestValidator>()
            .AddSingleton<IValidator<PoolBackwardRequest>, PoolBackwardRequestValidator>()
            .AddSingleton<IValidator<ConvExplainRequest>, ConvExplainRequestValidator>()
            .AddSingleton<IValidator<ConvBackwardExplainRequest>, ConvBackwardExplainRequestValidator>()
            .AddSingleton<IValidator<ConvTransposeExplainRequest>, ConvTransposeExplainRequestValidator>()
            .AddSingleton<IValidator<ConvTransposeBackwardExplainRequest>, ConvTransposeBackwardExplainRequestValidator>()
            .AddSingleton<IValidator<PoolExplainRequest>, PoolExplainRequestValidator>()
            .AddSingleton<IValidator<PoolBackwardExplainRequest>, PoolBackwardExplainRequestValidator>()
            .AddSingleton<IValidator<ShapeRequest>, ShapeRequestValidator>()
            .AddSingleton<IValidator<CheckRequest>, CheckRequestValidator>();
    }

    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // Each validator is made on its route's first request: building one compiles an expression tree per rule, which
        // the endpoints (all built before the first request of any route, /health's included) would otherwise pay at start-up.
        var registered = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var targets = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (index, validator: registered.IsService(ValidatorType(parameter)) ? Lazy(context.ApplicationServices, parameter) : null, planned: typeof(IPlannedRequest).IsAssignableFrom(parameter.ParameterType)))
            .Where(t => t.validator is not null || t.planned)
            .ToArray();
        if (targets.Length == 0)
            return next;
        var limits = context.ApplicationServices.GetRequiredService<IOptions<ServiceLimits>>();

        return invocation =>
        {
            var metadata = invocation.HttpContext.GetEndpoint()?.Metadata ?? EndpointMetadataCollection.Empty;
            Dictionary<string, List<string>>? failures = null;
            foreach (var (index, validator, _) in targets)
            {
                if (invocation.Arguments[index] is not { } argument)
                    continue;
                var (planned, problems) = Check(argument, validator?.Value, metadata, limits.Value);
                // Plain loops, entered only on failure: a lambda over `failures` made every request allocate its closure.
                if (problems.Count > 0)
                {
                    foreach (var (field, messages) in problems)
                    {
                        foreach (var message in messages)
                            Add(failures ??= [], field, message);
                    }
                }
                if (failures is null)
                    invocation.Arguments[index] = planned;
            }
            return failures is not null
                ? ValueTask.FromResult<object?>(TypedResults.ValidationProblem(failures.ToDictionary(f => f.Key, f => f.Value.ToArray()), title: Title))
                : next(invocation);
        };
    }

    /// <summary>
    /// Validates one bound request as every route does: its field rules, then, for an <see cref="IPlannedRequest"/>,
    /// its plan made once with the limits and the endpoint's metadata (a pool route's mode). Returns the planned request (the
    /// argument itself when it has no plan) and the problems by field; the inference front door calls it too.
    /// </summary>
    /// <remarks>
    /// Synchronous: no rule of ours awaits anything (FluentValidation throws when a rule that does is run this way, which
    /// the validation tests would show), and the async pipeline cost the seed request about a microsecond.
    /// </remarks>
    public static (object Request, IReadOnlyDictionary<string, List<string>> Failures) Check(object argument, IValidator? validator, EndpointMetadataCollection metadata, ServiceLimits limits)
    {
        Dictionary<string, List<string>>? failures = null;
        if (validator is not null)
        {
            var result = validator.Validate(new ValidationContext<object>(argument));
            foreach (var failure in result.Errors)
                Add(failures ??= [], failure.PropertyName, failure.ErrorMessage);
        }
        if (argument is not IPlannedRequest request)
            return (argument, failures ?? NoFailures);
        var (planned, problems) = request.Resolve(new PlanContext(limits, metadata));
        foreach (var problem in problems)
            Add(failures ??= [], problem.Parameter, problem.Message);
        return failures is not null
            ? (argument, failures)
            : (planned ?? throw new InvalidOperationException($"{argument.GetType().Name} was neither planned nor refused"), NoFailures);
    }

    private static readonly IReadOnlyDictionary<string, List<string>> NoFailures = new Dictionary<string, List<string>>();

    private static void Add(Dictionary<string, List<string>> failures, string field, string message)
    {
        if (!failures.TryGetValue(field, out var messages))
            failures[field] = messages = [];
        if (!messages.Contains(message))
            messages.Add(message);
    }

    private static Type ValidatorType(ParameterInfo parameter) => typeof(IValidator<>).MakeGenericType(parameter.ParameterType);

    private static Lazy<IValidator?> Lazy(IServiceProvider services, ParameterInfo parameter) =>
        new(() => (IValidator?)services.GetService(ValidatorType(parameter)));
}
