using ConvService.Api.Contracts;

namespace ConvService.Api.Plans;

/// <summary>
/// A request resolved once into what its computation needs: the Domain geometry (every axis's padding, window and
/// output size), the dtype and the <see cref="Cost"/>. Plans are immutable and independent of the wire (JSON today, the
/// inference protocol's binary tensors later): whatever binds a request builds the same plan, and the handlers, the
/// explain routes and admission read it instead of re-deriving anything.
/// </summary>
public interface IPlan
{
    DType Dtype { get; }

    Cost Cost { get; }
}
