using ConvService.Api.Plans;

namespace ConvService.Api.Hosting;

/// <summary>
/// A bound request that asks for a computation: the JSON routes' request records and the inference front door's
/// calls. <see cref="Admission.WithComputeSlot"/> admits the handler of each endpoint that reads one to a compute lane
/// chosen by its <see cref="Cost"/>.
/// </summary>
public interface IComputationRequest
{
    /// <summary>What the computation will cost, once validation has planned it; null when there is no plan (the expensive lane).</summary>
    Cost? Cost => (this as IPlannedRequest)?.Plan?.Cost;
}
