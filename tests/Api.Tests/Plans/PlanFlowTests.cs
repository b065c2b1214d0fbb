using System.Net;
using ConvService.Api.Contracts;
using ConvService.Api.Endpoints;
using ConvService.Api.Hosting;
using ConvService.Api.Json;
using ConvService.Api.Plans;
using ConvService.Api.Tests.Support;
using ConvService.Api.Validation;
using ConvService.Api.Wire;
using ConvService.Domain.Tensors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ConvService.Api.Tests.Plans;

/// <summary>The request flow: validated once into a plan that the handler computes from and later filters (admission) read.</summary>
public class PlanFlowTests
{
    [Fact]
    public async Task AFilterAddedAfterValidationReadsThePlansCost()
    {
        Cost? seen = null;
        await using var app = await Host(route => route.AddEndpointFilter(async (invocation, next) =>
        {
            seen = PlannedRequests.PlanOf(invocation)?.Cost;
            return await next(invocation);
        }));

        // 2 images × 3 output channels × 4×4 outputs × 2 input channels × 3×3 taps.
        using var response = await app.GetTestClient().PostAsync("/probe", Requests.Body(
            $$$"""{"input": {"shape": [2, 2, 6, 6], "data": {{{Ones(144)}}}}, "kernel": {"shape": [3, 2, 3, 3], "data": {{{Ones(54)}}}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Cost(2 * 3 * 16 * 2 * 9, 144 + 54, 2 * 3 * 16), seen);
    }

    [Fact]
    public async Task AFilterAfterValidationNeverSeesARequestThatBreaksTheContract()
    {
        var called = false;
        await using var app = await Host(route => route.AddEndpointFilter(async (invocation, next) =>
        {
            called = true;
            return await next(invocation);
        }));

        using var response = await app.GetTestClient().PostAsync("/probe", Requests.Body("""{"input": [[1]], "kernel": [[1, 1]]}"""));

        await ProblemAssert.NamesField(response, "kernel", "kernel 1×2 is larger than the padded input 1×1");
        Assert.False(called);
    }

    [Fact]
    public void AHandlerComputesFromThePlanWithoutHttp()
    {
        var request = new ConvForwardRequest
        {
            SpatialDims = 1,
            Input = RequestTensor.From(new TensorShape(5), [1, 2, 3, 4, 5]),
            Kernel = RequestTensor.From(new TensorShape(3), [1, 0, -1]),
        };
        var plan = request.CreatePlan(PlanContext.Default).Plan!;

        var result = ConvolutionEndpoints.Forward(request.WithPlan(plan), CancellationToken.None);

        var ok = Assert.IsType<TensorOk<ConvForwardResponse>>(result.Result);
        Assert.Equal(new TensorShape(3), ok.Value.Output.Shape);
        Assert.Equal(new Cost(9, 8, 3), plan.Cost);
        ok.Value.Dispose();
        request.Dispose();
    }

    [Fact]
    public void AHandlerReachedWithoutAPlanIsOurBugNotTheClients()
    {
        using var request = new ConvForwardRequest { Input = RequestTensor.From(new TensorShape(1, 1), [1]), Kernel = RequestTensor.From(new TensorShape(1, 1), [1]) };

        Assert.Throws<InvalidOperationException>(() => ConvolutionEndpoints.Forward(request, CancellationToken.None));
    }

    private static string Ones(int count) => $"[{string.Join(",", Enumerable.Repeat("1", count))}]";

    /// <summary>A bare host with the wire and the validation filter, the conv forward handler at /probe, and <paramref name="after"/> added after validation.</summary>
    private static async Task<WebApplication> Host(Action<RouteHandlerBuilder> after)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceLimits();
        builder.Services.AddWireJson();
        builder.Services.AddRequestValidation();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        after(app.MapPost("/probe", (ConvForwardRequest request, CancellationToken cancellationToken) => ConvolutionEndpoints.Forward(request, cancellationToken)).WithRequestValidation());
        await app.StartAsync();
        return app;
    }
}
