// ASP.NET Core's own start-up: the floor under ConvService's (see scripts/startup-time.sh).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();
var app = builder.Build();
app.MapHealthChecks("/health");
app.Run();
