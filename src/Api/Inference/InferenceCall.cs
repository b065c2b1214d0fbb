using System.Reflection;
using System.Text.Json;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.Wire;
using Microsoft.Extensions.Options;

namespace ConvService.Api.Inference;

/// <summary>
/// An inference request, bound: its model, the native request record of that model's JSON route (tensors included,
/// not yet validated), and what the client asked of the answer (<c>id</c>, outputs, binary or JSON).
/// </summary>
public sealed class InferenceCall : IComputationRequest, IBindableFromHttpContext<InferenceCall>, IDisposable
{
    private InferenceCall(InferenceModel model, IDisposable request, InferenceHeader header) =>
        (Model, Request, Id, Outputs, BinaryDataOutput) = (model, request, header.Id, header.Outputs, header.BinaryDataOutput);

    public InferenceModel Model { get; }

    /// <summary>The JSON route's request record (<c>ConvForwardRequest</c>, <c>PoolBackwardRequest</c>, …); planned once validated.</summary>
    public IDisposable Request { get; private set; }

    public string? Id { get; }

    public IReadOnlyList<HeaderOutput>? Outputs { get; }

    public bool BinaryDataOutput { get; }

    public static async ValueTask<InferenceCall?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var model = InferenceEndpoints.ModelOf(context.Request.RouteValues);
        var services = context.RequestServices;
        var limits = services.GetRequiredService<IOptions<ServiceLimits>>().Value;
        var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var (header, tensors, single) = await InferenceBody.ReadAsync(context, model, limits);
        using (header)
        using (tensors)
        {
            var fields = InferenceParameters.ToNativeFields(model, header, single);
            using var native = new TensorArguments();
            foreach (var input in model.Inputs)
            {
                if (tensors.Take(input.Name) is { } tensor)
                    native.Add(input.Field, tensor);
            }
            try
            {
                return new InferenceCall(model, model.Operation.Bind(fields, native, options), header);
            }
            catch (JsonException error)
            {
                var field = Errors.JsonProblems.FieldOf(error.Path);
                throw InferenceException.BadRequest(error is WireFormatException
                    ? $"parameter {ProtocolNames.Protocol(model, field)}: {error.Message}"
                    : $"parameter {ProtocolNames.Protocol(model, field)} has the wrong JSON type");
            }
        }
    }

    /// <summary>The cost of the native request's plan, once validated.</summary>
    Plans.Cost? IComputationRequest.Cost => (Request as Plans.IPlannedRequest)?.Plan?.Cost;

    /// <summary>Replaces the request as bound by its planned copy (which shares its tensors).</summary>
    internal void Planned(IDisposable request) => Request = request;

    public void Dispose() => Request.Dispose();
}
