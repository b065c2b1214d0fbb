using ConvService.Domain.Geometry;
using ConvService.Domain.Tensors;

namespace ConvService.Domain.Convolution;

public static partial class ConvRules
{
    /// <summary>The backward passes' own rule: gradOutput has exactly the output's shape (rank included).</summary>
    /// <returns>The problem, naming "gradOutput" and both shapes, or <see langword="null"/> when the shapes agree.</returns>
    public static ParameterProblem? CheckGradOutput(TensorShape output, TensorShape gradOutput) =>
        gradOutput == output
            ? null
            : new ParameterProblem("gradOutput", $"gradOutput has shape {gradOutput} but the forward output has shape {output}");
}
