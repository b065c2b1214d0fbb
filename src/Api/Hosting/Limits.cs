using ConvService.Api.Errors;
using ConvService.Api.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// Binds <see cref="ServiceLimits"/> and hands each limit to the layer that enforces it: Kestrel the body size and the
/// slowest upload (its 413s and 408s are described by <see cref="BodyProblems"/>),
/// the body readers (<see cref="JsonBody"/>, the inference front door) the elements per tensor and per request; validators and plans read the compute limits per request.
/// </summary>
public static class Limits
{
    public static WebApplicationBuilder AddServiceLimits(this WebApplicationBuilder builder)
    {
        // The [Range] rules are checked by generated code (ServiceLimitsValidator), not by DataAnnotations' reflection.
        builder.Services.AddOptions<ServiceLimits>()
            .Bind(builder.Configuration.GetSection(ServiceLimits.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServiceLimits>, ServiceLimitsValidator>();
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServiceLimits>>((kestrel, limits) =>
            {
                kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
                kestrel.Limits.MinRequestBodyDataRate = limits.Value.MinRequestBodyBytesPerSecond > 0
                    ? new MinDataRate(limits.Value.MinRequestBodyBytesPerSecond, limits.Value.RequestBodyGracePeriod)
                    : null;
            });
        builder.Services.AddOptions<ProblemDetailsOptions>()
            .Configure<IOptions<ServiceLimits>>((problems, limits) => problems.CustomizeProblemDetails += context =>
            {
                if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
                    BodyProblems.DescribeTooLarge(context.ProblemDetails, limits.Value.MaxRequestBodyBytes);
            });
        return builder;
    }
}

/// <summary>
/// <see cref="ServiceLimits"/>' [Range] rules as code the options source generator writes at compile time. Through
/// DataAnnotations every start-up read each limit by reflection, which compiled an invoke stub per property (27).
/// </summary>
[OptionsValidator]
internal sealed partial class ServiceLimitsValidator : IValidateOptions<ServiceLimits>;
