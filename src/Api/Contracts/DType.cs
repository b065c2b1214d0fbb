namespace ConvService.Api.Contracts;

/// <summary>The precision a computation runs in.</summary>
public enum DType
{
    /// <summary>IEEE double (the default).</summary>
    Float64,

    /// <summary>IEEE single; inputs are rounded once, results are written as float32.</summary>
    Float32,
}
