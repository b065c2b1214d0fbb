using ConvService.Api.Endpoints;
using ConvService.Api.Errors;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Validation;

var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
builder.AddServiceLimits();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddWireJson();
builder.Services.AddRequestValidation();
builder.Services.AddApiDocumentation();
builder.Services.AddHealthChecks();
builder.Services.AddOverloadProtection();
builder.Services.AddRequestTimeLimit();
builder.Services.AddTelemetry();

var app = builder.Build();

app.LogListeningAddresses();

app.UseRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UsePlayground();
app.UseRateLimiter();
app.UseRequestTimeouts();
app.UseRequestElementBudget();
app.UseApiDocumentation();

app.MapGet("/", () => TypedResults.Redirect(Routes.Swagger)).ExcludeFromDescription();
app.MapHealth();
app.MapMetrics();
app.MapConvolution();
app.MapPooling();
app.MapLearn();
app.MapPlayground();

app.Run();
