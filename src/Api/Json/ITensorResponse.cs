namespace ConvService.Api.Json;

/// <summary>A response record of tensors: it lists them by their JSON names, in the order they are written.</summary>
public interface ITensorResponse : IDisposable
{
    /// <summary>The tensors the response holds (absent optional ones left out), by camelCase field name.</summary>
    IEnumerable<(string Name, TensorResult Tensor)> Tensors { get; }
}
