using System.Reflection;
using System.Text.Json;
using ConvService.Api.Hosting;
using ConvService.Api.Plans;
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
        return services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);
    }

    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var targets = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (index, validator: ValidatorFor(context.ApplicationServices, parameter), planned: typeof(IPlannedRequest).IsAssignableFrom(parameter.ParameterType)))
            .Where(t => t.validator is not null || t.planned)
            .ToArray();
        if (targets.Length == 0)
            return next;
        var limits = context.ApplicationServices.GetRequiredService<IOptions<ServiceLimits>>();

        return async invocation =>
        {
            var metadata = invocation.HttpContext.GetEndpoint()?.Metadata ?? EndpointMetadataCollection.Empty;
            var failures = new Dictionary<string, List<string>>();
            foreach (var (index, validator, _) in targets)
            {
                if (invocation.Arguments[index] is not { } argument)
                    continue;
                if (validator is not null)
                {
                    var validation = new ValidationContext<object>(argument);
                    foreach (var item in metadata.GetOrderedMetadata<IValidationContextItem>())
                        validation.RootContextData[item.Key] = item;
                    validation.RootContextData[ComputeBudget.LimitsKey] = limits.Value;
                    var result = await validator.ValidateAsync(validation, invocation.HttpContext.RequestAborted);
                    foreach (var failure in result.Errors)
                        Add(failures, failure.PropertyName, failure.ErrorMessage);
                }
                if (argument is IPlannedRequest request)
                {
                    var (planned, problems) = request.Resolve(new PlanContext(limits.Value, metadata));
                    foreach (var problem in problems)
                        Add(failures, problem.Parameter, problem.Message);
                    if (failures.Count == 0)
                        invocation.Arguments[index] = planned ?? throw new InvalidOperationException($"{argument.GetType().Name} was neither planned nor refused");
                }
            }
            return failures.Count > 0
                ? TypedResults.ValidationProblem(failures.ToDictionary(f => f.Key, f => f.Value.ToArray()), title: Title)
                : await next(invocation);
        };
    }

    private static void Add(Dictionary<string, List<string>> failures, string field, string message)
    {
        if (!failures.TryGetValue(field, out var messages))
            failures[field] = messages = [];
        if (!messages.Contains(message))
            messages.Add(message);
    }

    private static IValidator? ValidatorFor(IServiceProvider services, ParameterInfo parameter) =>
        (IValidator?)services.GetService(typeof(IValidator<>).MakeGenericType(parameter.ParameterType));
}

/// <summary>Endpoint metadata a validator needs to see (the pooling mode of a /pool route, say).</summary>
public interface IValidationContextItem
{
    string Key { get; }
}
