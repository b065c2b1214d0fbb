namespace ConvService.Api.Endpoints;

/// <summary>The service's routes, shared by the endpoints, the OpenAPI document and the tests.</summary>
public static class Routes
{
    public const string ConvForward = "/conv/forward";
    public const string ConvBackward = "/conv/backward";
    public const string ConvTranspose = "/conv/transpose";
    public const string ConvTransposeBackward = "/conv/transpose/backward";
    public const string ConvExplain = "/conv/explain";
    public const string ConvBackwardExplain = "/conv/backward/explain";
    public const string ConvTransposeExplain = "/conv/transpose/explain";
    public const string ConvTransposeBackwardExplain = "/conv/transpose/backward/explain";
    public const string Shape = "/shape";
    public const string Check = "/check";
    public const string Playground = "/playground";
    public const string Pool = "/pool";
    public const string Health = "/health";
    public const string HealthLive = "/health/live";
    public const string HealthReady = "/health/ready";
    public const string Swagger = "/swagger";
}
