using ConvService.Api.Errors;
using ConvService.Api.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Hosting;

/// <summary>
/// Binds <see cref="ServiceLimits"/> and hands each limit to the layer that enforces it: Kestrel the body size (its 413s, announced or chunked, are described by <see cref="BodyProblems"/>),
/// the body readers (<see cref="JsonBody"/>, the inference front door) the elements per tensor and per request; validators read the compute limits per request.
/// </summary>
public static class Limits
{
    public static WebApplicationBuilder AddServiceLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServiceLimits>()
            .Bind(builder.Configuration.GetSection(ServiceLimits.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServiceLimits>>((kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
        builder.Services.AddOptions<ProblemDetailsOptions>()
            .Configure<IOptions<ServiceLimits>>((problems, limits) => problems.CustomizeProblemDetails += context =>
            {
                if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
                    BodyProblems.DescribeTooLarge(context.ProblemDetails, limits.Value.MaxRequestBodyBytes);
            });
        return builder;
    }
}
