using ConvService.Api.Access;
using ConvService.Api.Endpoints;
using ConvService.Api.Errors;
using ConvService.Api.Hosting;
using ConvService.Api.Inference;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Validation;

if (Probe.IsRequested(args, out var probeUrl))
    return await Probe.RunAsync(probeUrl);

MulticoreJit.Start();

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));

builder.AddStructuredLogging();
builder.AddServiceLimits();
builder.Services.AddTransportMemory();
builder.Services.AddInferenceProtocol();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddWireJson();
builder.Services.AddRequestValidation();
builder.Services.AddApiDocumentation();
builder.Services.AddHealthChecks();
builder.Services.AddAdmission();
builder.AddApiKeys();
builder.Services.AddClientLimits();
builder.Services.AddTrustedProxies(builder.Configuration);
builder.Services.AddPageSecurity(builder.Configuration);
builder.Services.AddRequestTimeLimit();
builder.Services.AddTelemetry();

var app = builder.Build();
app.BuildMetersAhead();

app.LogListeningAddresses();

app.UseTrustedProxies();
app.UsePageSecurity();
app.UseRequestLogging();
app.UseInferenceMetrics();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UsePlayground();
app.UseRequestTimeouts();
app.UseApiDocumentation();
// Pages and documentation above answer before these; each computation needs a key (when keys are configured) and a place in its client's share.
app.UseApiKeys();
app.UseRateLimiter();

app.MapGet("/", () => TypedResults.Redirect(Routes.Swagger)).ExcludeFromDescription().OpenToAll();
app.MapHealth();
app.MapConvolution();
app.MapPooling();
app.MapInference();
app.MapLearn();
app.MapPlayground();
app.MapMetrics();

await app.RunAsync();
return 0;
