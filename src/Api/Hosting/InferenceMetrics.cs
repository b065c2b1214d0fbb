using System.Diagnostics.Metrics;
using ConvService.Api.Inference;

namespace ConvService.Api.Hosting;

/// <summary>
/// <c>convservice.inference.requests</c>: every request to an inference model's infer route, tagged by <c>model</c>
/// (<c>unknown</c> for a name that is not a model, so clients cannot mint labels) and the answer's <c>status</c> —
/// counted once the answer is final, refusals by the limits and the body reader included.
/// </summary>
public static class InferenceMetrics
{
    private static readonly Meter Meter = new(ComputeMetrics.MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "convservice.inference.requests", unit: "{request}", description: "Inference requests per model and status.");

    /// <summary>Counts each answer of the infer routes; placed outside the exception handler, so it sees the status sent.</summary>
    public static WebApplication UseInferenceMetrics(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Read before the request runs: the exception handler clears the endpoint and route values when it answers.
            var model = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is "Infer" or "InferVersion"
                ? InferenceModels.Find(context.Request.RouteValues["model"] as string ?? "")?.Name ?? "unknown"
                : null;
            try
            {
                await next(context);
            }
            finally
            {
                if (model is not null)
                    Requests.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            }
        });
        return app;
    }
}
