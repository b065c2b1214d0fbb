using ConvService.Api.Access;
using ConvService.Api.Endpoints;
using ConvService.Api.Hosting;
using ConvService.Api.Validation;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Inference;

/// <summary>
/// The Open Inference Protocol front door (KServe v2 REST, with Triton's binary tensor extension): server and model
/// metadata, health, and <c>POST /v2/models/{model}[/versions/1]/infer</c>, which binds a protocol request into the
/// model's JSON-route request record, validates and plans it as that route does, takes a compute slot, computes it with that route's handler
/// and answers in binary or JSON as asked. Errors are <c>{"error": "…"}</c>.
/// </summary>
public static class InferenceEndpoints
{
    /// <summary>Writes the front door's problems as <c>{"error"}</c>; call before <c>AddProblemDetails</c> so its writer comes first.</summary>
    public static IServiceCollection AddInferenceProtocol(this IServiceCollection services) =>
        services.AddSingleton<IProblemDetailsWriter, InferenceErrorWriter>();

    public static IEndpointRouteBuilder MapInference(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup(InferenceErrorWriter.Prefix).WithTags("Inference protocol (v2)");
        var probes = v2.MapGroup("").OpenToAll();
        probes.MapGet("", Server).WithName("InferenceServer").WithSummary("Server metadata: name, version and the protocol extensions supported");
        probes.MapGet("/health/live", Live).WithName("InferenceLive").WithSummary("Liveness: 200 while the process answers");
        probes.MapGet("/health/ready", Ready).WithName("InferenceReady").WithSummary("Readiness: 200 when the service's health checks pass, else 503");
        probes.MapGet("/models/{model}", Metadata).WithName("InferenceModel").WithSummary("Model metadata: inputs and outputs with datatype and shape (−1 for a free axis)").WithDescription(InferenceDocs.Models);
        probes.MapGet("/models/{model}/versions/{version}", Metadata).WithName("InferenceModelVersion").WithSummary("Model metadata of version 1, the only one");
        probes.MapGet("/models/{model}/ready", ModelReady).WithName("InferenceModelReady").WithSummary("Model readiness: 200 for every known model");
        probes.MapGet("/models/{model}/versions/{version}/ready", ModelReady).WithName("InferenceModelVersionReady").WithSummary("Model readiness of version 1");

        // Bound, validated into the plan, then admitted to a compute slot, as the JSON routes.
        var infer = v2.MapGroup("/models/{model}")
            .WithTensorLifetime()
            .AddEndpointFilter(ValidateAsync)
            .WithComputeSlot();
        infer.MapPost("/infer", Infer).WithName("Infer").WithInferenceDocs();
        infer.MapPost("/versions/{version}/infer", Infer).WithName("InferVersion").WithInferenceDocs();
        return app;
    }

    public static Ok<ServerMetadata> Server() =>
        TypedResults.Ok(new ServerMetadata("convservice", typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString(3) ?? "1.0.0", ["binary_tensor_data", "parameters"]));

    public static Ok<LiveResponse> Live() => TypedResults.Ok(new LiveResponse(true));

    public static async Task<Results<Ok<ReadyResponse>, JsonHttpResult<InferenceError>>> Ready(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(new ReadyResponse(true))
            : InferenceError.Result($"not ready: {report.Status}", StatusCodes.Status503ServiceUnavailable);
    }

    public static Ok<ModelMetadata> Metadata(HttpContext context) => TypedResults.Ok(ModelMetadata.Of(ModelOf(context.Request.RouteValues)));

    public static Ok<ModelReadyResponse> ModelReady(HttpContext context) => TypedResults.Ok(new ModelReadyResponse(ModelOf(context.Request.RouteValues).Name, true));

    // Bound (InferenceCall.BindAsync) and validated (ValidateAsync) before it runs: computes as the JSON route does.
    public static InferenceResult Infer(InferenceCall call, HttpContext context, CancellationToken cancellationToken)
    {
        var response = call.Model.Operation.Run(call.Request, cancellationToken);
        context.Response.RegisterForDispose(response);
        return InferenceResult.From(call, response);
    }

    /// <summary>The model named by the route (and version 1, when one is named).</summary>
    /// <exception cref="InferenceException">404: no such model or version; the message lists the models.</exception>
    public static InferenceModel ModelOf(RouteValueDictionary route)
    {
        var name = route["model"] as string ?? "";
        var model = InferenceModels.Find(name)
            ?? throw new InferenceException(StatusCodes.Status404NotFound, $"no model \"{(name.Length > 40 ? name[..40] : name)}\"; the models are {InferenceModels.Names}");
        if (route["version"] is string version && version != InferenceModel.Version)
            throw new InferenceException(StatusCodes.Status404NotFound, $"{model.Name} has no version \"{(version.Length > 20 ? version[..20] : version)}\"; its only version is {InferenceModel.Version}");
        return model;
    }

    // The JSON route's validation and plan, on the JSON route's request record; its field names answered as the protocol names them.
    private static async ValueTask<object?> ValidateAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var call = invocation.GetArgument<InferenceCall>(0);
        var services = invocation.HttpContext.RequestServices;
        var operation = call.Model.Operation;
        var validator = (IValidator?)services.GetService(operation.ValidatorType);
        var limits = services.GetRequiredService<IOptions<ServiceLimits>>().Value;
        var (planned, failures) = RequestValidation.Check(call.Request, validator, operation.Metadata, limits);
        if (failures.Count == 0)
        {
            call.Planned((IDisposable)planned);
            return await next(invocation);
        }
        var message = string.Join("; ", failures.SelectMany(f => f.Value.Select(m => $"{ProtocolNames.Protocol(call.Model, f.Key)}: {m}")));
        return InferenceError.Result(message);
    }
}
