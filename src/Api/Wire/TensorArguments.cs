using System.Collections.Frozen;

namespace ConvService.Api.Wire;

/// <summary>
/// The tensors a reader bound for one request, by field name, until the request record takes them
/// (<see cref="Json.IJsonBodyRequest{TSelf}.WithTensors"/>). Whatever is never taken is returned to the pool on dispose.
/// </summary>
public sealed class TensorArguments : IDisposable
{
    private readonly Dictionary<string, RequestTensor> _tensors = new(StringComparer.Ordinal);

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public void Add(string name, RequestTensor tensor) => _tensors.Add(name, tensor);

    /// <summary>Hands the tensor named <paramref name="name"/> over to the caller, or null when none was sent.</summary>
    public RequestTensor? Take(string name) => _tensors.Remove(name, out var tensor) ? tensor : null;

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
            tensor.Dispose();
        _tensors.Clear();
    }

    /// <summary>A request type's tensor field names, matched without regard to case as its other fields are.</summary>
    public static FrozenSet<string> Names(params string[] names) => names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
