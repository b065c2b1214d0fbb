using System.Reflection;
using System.Text.Json;
using ConvService.Api.Hosting;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Validation;

/// <summary>
/// One endpoint filter for every request type: at start-up it finds the handler's parameters that have an
/// <see cref="IValidator{T}"/>, and per request it answers a 400 validation problem before the handler runs.
/// </summary>
public static class RequestValidation
{
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
            .Select((parameter, index) => (index, validator: ValidatorFor(context.ApplicationServices, parameter)))
            .Where(t => t.validator is not null)
            .ToArray();
        if (targets.Length == 0)
            return next;
        var limits = context.ApplicationServices.GetRequiredService<IOptions<ServiceLimits>>();

        return async invocation =>
        {
            var contextItems = invocation.HttpContext.GetEndpoint()?.Metadata.GetOrderedMetadata<IValidationContextItem>() ?? [];
            foreach (var (index, validator) in targets)
            {
                if (invocation.Arguments[index] is not { } argument)
                    continue;
                var result = await ValidateAsync(validator!, argument, contextItems, limits.Value, invocation.HttpContext.RequestAborted);
                if (!result.IsValid)
                    return TypedResults.ValidationProblem(result.ToDictionary(), title: "The request breaks the API contract.");
            }
            return await next(invocation);
        };
    }

    /// <summary>Runs <paramref name="validator"/> on <paramref name="argument"/> with the context every validator reads: the limits and the endpoint's items.</summary>
    public static Task<FluentValidation.Results.ValidationResult> ValidateAsync(IValidator validator, object argument, IEnumerable<IValidationContextItem> contextItems, ServiceLimits limits, CancellationToken cancellationToken)
    {
        var validation = new ValidationContext<object>(argument);
        foreach (var item in contextItems)
            validation.RootContextData[item.Key] = item;
        validation.RootContextData[ComputeBudget.LimitsKey] = limits;
        return validator.ValidateAsync(validation, cancellationToken);
    }

    private static IValidator? ValidatorFor(IServiceProvider services, ParameterInfo parameter) =>
        (IValidator?)services.GetService(typeof(IValidator<>).MakeGenericType(parameter.ParameterType));
}

/// <summary>Endpoint metadata a validator needs to see (the pooling mode of a /pool route, say).</summary>
public interface IValidationContextItem
{
    string Key { get; }
}
