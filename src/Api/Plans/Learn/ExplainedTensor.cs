namespace ConvService.Api.Plans.Learn;

/// <summary>Which tensor of a call an explained cell belongs to.</summary>
public enum ExplainedTensor
{
    Output,
    GradInput,
    GradKernel,
    GradBias,
}

public static class ExplainedTensors
{
    /// <summary>The gradients an <c>of</c> field may name, as the contract spells them.</summary>
    public static readonly IReadOnlyList<string> GradientNames = ["gradInput", "gradKernel", "gradBias"];

    /// <summary>The gradient <paramref name="of"/> names, or null for anything else.</summary>
    public static ExplainedTensor? GradientOf(string? of) => of switch
    {
        "gradInput" => ExplainedTensor.GradInput,
        "gradKernel" => ExplainedTensor.GradKernel,
        "gradBias" => ExplainedTensor.GradBias,
        _ => null,
    };

    /// <summary>"output", "gradInput", "gradKernel", "gradBias": the response field the tensor is.</summary>
    public static string Name(this ExplainedTensor tensor) => tensor switch
    {
        ExplainedTensor.Output => "output",
        ExplainedTensor.GradInput => "gradInput",
        ExplainedTensor.GradKernel => "gradKernel",
        _ => "gradBias",
    };
}
