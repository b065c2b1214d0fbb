namespace ConvService.Api.Hosting;

/// <summary>
/// A bound request that asks for a computation: the JSON routes' request records and the inference front door's
/// calls. <see cref="Admission.WithComputeSlot"/> takes a compute slot around the handler of each endpoint that reads one.
/// </summary>
public interface IComputationRequest;
