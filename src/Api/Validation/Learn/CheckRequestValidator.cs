using System.Text.Json;
using ConvService.Api.Contracts.Learn;
using ConvService.Api.Learn;
using FluentValidation;

namespace ConvService.Api.Validation.Learn;

/// <summary>
/// The field rules of /check: an operation, a request object and an answer object, a tolerance ≥ 0. The graded
/// route's own rules judge the request, and the answer's fields, in the plan (<see cref="Plans.Learn.CheckPlan"/>).
/// </summary>
public sealed class CheckRequestValidator : AbstractValidator<CheckRequest>
{
    public CheckRequestValidator()
    {
        RuleFor(r => r.Operation).NotNull().WithMessage($"operation is required: the route whose answer to grade, one of {string.Join(", ", CheckedRoutes.All.Keys.Order())}");
        RuleFor(r => r.Request).Must(r => r is { ValueKind: JsonValueKind.Object })
            .WithMessage("request is required: the graded route's body, a JSON object such as {\"input\": …, \"kernel\": …}");
        RuleFor(r => r.Answer).Must(a => a is { ValueKind: JsonValueKind.Object })
            .WithMessage("answer is required: a JSON object shaped like the route's response, such as {\"output\": [[…]]}");
        RuleFor(r => r.Tolerance).GreaterThanOrEqualTo(0).WithMessage(r => $"tolerance must be ≥ 0; got {r.Tolerance}");
        this.NoUnknownFields(r => r.UnknownFields);
    }
}
