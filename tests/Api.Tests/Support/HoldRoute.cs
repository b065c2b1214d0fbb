using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// A test-only route, /test/hold, behind the app's whole pipeline (keys, per-client limiter): a request to it holds
/// its client's place until <see cref="Release"/>, and <see cref="Entered"/> says when it has taken that place, so
/// per-client tests need no timing. Added by a factory as an <see cref="IStartupFilter"/>.
/// </summary>
public sealed class HoldRoute : IStartupFilter
{
    public const string Path = "/test/hold";

    private TaskCompletionSource _entered = New();
    private TaskCompletionSource _release = New();

    /// <summary>Completes when a request to the route is inside the pipeline, its place taken.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets the held request answer 200, and arms the route for the next one.</summary>
    public void Release()
    {
        var release = _release;
        (_entered, _release) = (New(), New());
        release.TrySetResult();
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Map(Path, branch => branch.Run(async _ =>
        {
            var release = _release.Task;
            _entered.TrySetResult();
            await release;
        }));
    };

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
