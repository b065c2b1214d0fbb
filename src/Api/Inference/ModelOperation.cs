using FluentValidation;
using System.Text.Json;
using ConvService.Api.Json;
using ConvService.Api.Wire;

namespace ConvService.Api.Inference;

/// <summary>
/// What a model runs: the native request record its JSON route binds, the validator items that route's endpoint
/// carries (the pooling mode), and that route's handler. The front door builds the same record from the protocol's
/// parameters and tensors, so it is validated and computed by the very code the JSON route uses.
/// </summary>
public abstract class ModelOperation
{
    /// <summary>The JSON route's validator service, <c>IValidator&lt;T&gt;</c> of its native request record.</summary>
    public abstract Type ValidatorType { get; }

    /// <summary>What the JSON route's endpoint tells its validator and planner (the pooling mode of a /pool route).</summary>
    public abstract EndpointMetadataCollection Metadata { get; }

    /// <summary>The native request from its small fields as JSON (<paramref name="fields"/>) and its tensors, which it takes.</summary>
    /// <exception cref="WireFormatException">A field does not read as its JSON route would read it.</exception>
    public abstract IDisposable Bind(ReadOnlySpan<byte> fields, TensorArguments tensors, JsonSerializerOptions options);

    /// <summary>Computes a validated request as its JSON route does.</summary>
    public abstract ITensorResponse Run(object request, CancellationToken cancellationToken);

    public static ModelOperation Of<TRequest>(Func<TRequest, CancellationToken, ITensorResponse> run, params object[] metadata)
        where TRequest : class, IJsonBodyRequest<TRequest>, IDisposable => new Typed<TRequest>(run, metadata);

    private sealed class Typed<TRequest>(Func<TRequest, CancellationToken, ITensorResponse> run, object[] metadata) : ModelOperation
        where TRequest : class, IJsonBodyRequest<TRequest>, IDisposable
    {
        public override Type ValidatorType => typeof(IValidator<TRequest>);

        public override EndpointMetadataCollection Metadata { get; } = new(metadata);

        public override IDisposable Bind(ReadOnlySpan<byte> fields, TensorArguments tensors, JsonSerializerOptions options) =>
            JsonBodyBinder.Deserialize<TRequest>(fields, options)!.WithTensors(tensors);

        public override ITensorResponse Run(object request, CancellationToken cancellationToken) => run((TRequest)request, cancellationToken);
    }
}
