using ConvService.Api.Contracts;
using FluentValidation;

namespace ConvService.Api.Validation;

/// <summary>
/// The field rules of /conv/transpose and its backward: those of every kernel request, padding as integers only
/// (PyTorch's conv_transpose has no [begin, end] pairs and no "same"), and outputSize or outputPadding, not both.
/// </summary>
public abstract class ConvTransposeRequestValidator<T> : KernelRequestValidator<T> where T : ConvTransposeRequest
{
    protected ConvTransposeRequestValidator() : base("(C, Cout/groups, k…)") =>
        RuleFor(r => r).Custom((request, context) =>
        {
            if (!request.PaddingIsIntegers && request.Padding is { } padding)
                context.AddFailure("padding", $"a transposed convolution's padding is one integer or a list of d integers, taken off both ends as PyTorch's conv_transpose does; got {padding}");
            if (request.OutputSize is not null && request.OutputPadding is not null)
                context.AddFailure("outputSize", $"send outputSize or outputPadding, not both: outputSize {request.OutputSize} chooses the output padding");
        });
}

public sealed class ConvTransposeForwardRequestValidator : ConvTransposeRequestValidator<ConvTransposeForwardRequest>;

/// <summary>The transposed rules plus gradOutput within float32's range.</summary>
public sealed class ConvTransposeBackwardRequestValidator : ConvTransposeRequestValidator<ConvTransposeBackwardRequest>
{
    public ConvTransposeBackwardRequestValidator() => GradOutputFitsTheDtype(r => r.GradOutput);
}
