using ConvService.Api.Endpoints;
using ConvService.Api.Errors;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.OpenApi;
using ConvService.Api.Validation;

var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddWireJson();
builder.Services.AddRequestValidation();
builder.Services.AddApiDocumentation();
builder.Services.AddHealthChecks();

var app = builder.Build();

app.LogListeningAddresses();

app.UseRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiDocumentation();

app.MapGet("/", () => TypedResults.Redirect(Routes.Swagger)).ExcludeFromDescription();
app.MapHealthChecks(Routes.Health);
app.MapConvolution();

app.Run();
