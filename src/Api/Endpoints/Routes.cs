namespace ConvService.Api.Endpoints;

/// <summary>The service's routes, shared by the endpoints, the OpenAPI document and the tests.</summary>
public static class Routes
{
    public const string ConvForward = "/conv/forward";
    public const string ConvBackward = "/conv/backward";
    public const string ConvTranspose = "/conv/transpose";
    public const string ConvTransposeBackward = "/conv/transpose/backward";
    public const string Pool = "/pool";
    public const string Health = "/health";
    public const string HealthLive = "/health/live";
    public const string HealthReady = "/health/ready";
    public const string Swagger = "/swagger";
}
