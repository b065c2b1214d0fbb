using System.Reflection;
using ConvService.Api.Contracts;
using ConvService.Api.Endpoints;
using ConvService.Api.Json;
using ConvService.Api.Wire;
using ConvService.Domain.Geometry;
using ConvService.Domain.Pooling;
using Microsoft.OpenApi;

namespace ConvService.Api.OpenApi;

/// <summary>Swagger (Swashbuckle): the OpenAPI document at /swagger/v1/swagger.json and Swagger UI at /swagger.</summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ConvService",
                Version = "v1",
                Description = "Convolution in 1, 2 and 3 dimensions, transposed convolution, their gradients and pooling over JSON tensors, with PyTorch's exact semantics. " +
                              "A tensor is nested arrays ([[4,5],[3,3]]) or {\"shape\": [2,2], \"data\": [4,5,3,3]}; responses use the input's form. " +
                              "Learn mode explains any cell as the sum it is (/conv/explain, /pool/{mode}/explain, …), grades answers (/check) and works out shapes (/shape); " +
                              "the [playground](/playground) shows it all on grids you can edit.",
            });
            options.IncludeXmlComments(Assembly.GetExecutingAssembly());
            options.MapType<RequestTensor>(() => WireSchemas.Tensor("A tensor: nested arrays of numbers (rank = depth) or {\"shape\": [...], \"data\": [...]} in row-major order. \"NaN\", \"Infinity\" and \"-Infinity\" may stand for numbers."));
            options.MapType<TensorResult>(() => WireSchemas.Tensor("A tensor in the form of the request's input."));
            options.MapType<PerAxis>(WireSchemas.PerAxis);
            options.MapType<PaddingValue>(WireSchemas.ConvPadding);
            options.MapType<PaddingMode>(WireSchemas.Enum<PaddingMode>);
            options.MapType<DType>(WireSchemas.Enum<DType>);
            options.MapType<PoolMode>(WireSchemas.Enum<PoolMode>);
            options.MapType<PerAxis<int?>>(PoolSchemas.OutputSize);
            options.MapType<PerAxis<double>>(PoolSchemas.Ratio);
            options.AddOperationFilterInstance(new RequestExampleOperationFilter());
            options.AddOperationFilterInstance(new InferenceBodyOperationFilter());
        });
        return services;
    }

    /// <summary>
    /// Swagger's middleware, built on the first request under /swagger rather than at start-up (its UI files and settings
    /// cost start-up time that no other request needs).
    /// </summary>
    public static WebApplication UseApiDocumentation(this WebApplication app)
    {
        app.Use(next =>
        {
            var documentation = new Lazy<RequestDelegate>(() => ((IApplicationBuilder)app).New()
                .UseSwagger()
                .UseSwaggerUI(options =>
                {
                    options.SwaggerEndpoint(DocumentPath, "ConvService v1");
                    options.DocumentTitle = "ConvService";
                    options.DisplayRequestDuration();
                })
                .Use(_ => next)
                .Build());
            return context => context.Request.Path.StartsWithSegments(Routes.Swagger) ? documentation.Value(context) : next(context);
        });
        return app;
    }
}
