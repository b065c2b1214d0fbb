using ConvService.Api.Contracts;

namespace ConvService.Api.Validation;

/// <summary>The field rules of /conv/forward; the shape rules and limits are <see cref="Plans.ConvPlan"/>'s.</summary>
public sealed class ConvForwardRequestValidator() : KernelRequestValidator<ConvForwardRequest>("(Cout, C/groups, k…)");

/// <summary>The rules of /conv/forward, and gradOutput within float32's range.</summary>
public sealed class ConvBackwardRequestValidator : KernelRequestValidator<ConvBackwardRequest>
{
    public ConvBackwardRequestValidator() : base("(Cout, C/groups, k…)") => GradOutputFitsTheDtype(r => r.GradOutput);
}
