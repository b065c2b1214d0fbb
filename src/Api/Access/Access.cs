namespace ConvService.Api.Access;

/// <summary>What every client may reach whatever the keys and limits: endpoints that compute nothing.</summary>
public static class Access
{
    /// <summary>
    /// Opens an endpoint to everyone: no API key (<see cref="ApiKeys"/>) and no per-client limit
    /// (<see cref="ClientLimits"/>). For health, metrics, documentation and pages, never for a computation.
    /// </summary>
    public static TBuilder OpenToAll<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().DisableRateLimiting();
}
