using ConvService.Api.Contracts.Learn;
using ConvService.Api.Plans.Learn;
using FluentValidation;

namespace ConvService.Api.Validation.Learn;

/// <summary>The field rules every explain request adds to its route's: a cell, and for gradients which one.</summary>
internal static class ExplainRules
{
    public const string CellRequired = "cell is required: an index into the explained tensor, in its rank ([0, 0] for the first cell of a plane)";

    public static void AddOfFailure(Action<string, string> addFailure, string? of)
    {
        if (ExplainedTensors.GradientOf(of) is null)
            addFailure("of", $"of must be \"gradInput\", \"gradKernel\" or \"gradBias\": the gradient whose cell to explain; got {(of is null ? "nothing" : $"\"{(of.Length > 40 ? of[..40] : of)}\"")}");
    }
}

public sealed class ConvExplainRequestValidator : KernelRequestValidator<ConvExplainRequest>
{
    public ConvExplainRequestValidator() : base("(Cout, C/groups, k…)") => RuleFor(r => r.Cell).NotNull().WithMessage(ExplainRules.CellRequired);
}

public sealed class ConvBackwardExplainRequestValidator : KernelRequestValidator<ConvBackwardExplainRequest>
{
    public ConvBackwardExplainRequestValidator() : base("(Cout, C/groups, k…)")
    {
        RuleFor(r => r.Cell).NotNull().WithMessage(ExplainRules.CellRequired);
        GradOutputFitsTheDtype(r => r.GradOutput);
        RuleFor(r => r).Custom((request, context) => ExplainRules.AddOfFailure(context.AddFailure, request.Of));
    }
}

public sealed class ConvTransposeExplainRequestValidator : ConvTransposeRequestValidator<ConvTransposeExplainRequest>
{
    public ConvTransposeExplainRequestValidator() => RuleFor(r => r.Cell).NotNull().WithMessage(ExplainRules.CellRequired);
}

public sealed class ConvTransposeBackwardExplainRequestValidator : ConvTransposeRequestValidator<ConvTransposeBackwardExplainRequest>
{
    public ConvTransposeBackwardExplainRequestValidator()
    {
        RuleFor(r => r.Cell).NotNull().WithMessage(ExplainRules.CellRequired);
        GradOutputFitsTheDtype(r => r.GradOutput);
        RuleFor(r => r).Custom((request, context) => ExplainRules.AddOfFailure(context.AddFailure, request.Of));
    }
}
