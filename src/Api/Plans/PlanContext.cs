using ConvService.Api.Hosting;

namespace ConvService.Api.Plans;

/// <summary>What planning may read besides the request: the limits in force and the endpoint's metadata (a /pool route's mode, say).</summary>
public sealed record PlanContext(ServiceLimits Limits, EndpointMetadataCollection Metadata)
{
    /// <summary>The default limits and no metadata: planning outside a request (tests, tools).</summary>
    public static PlanContext Default { get; } = new(new ServiceLimits(), EndpointMetadataCollection.Empty);
}
