using System.Net;

namespace ConvService.Api.Tests.Support;

/// <summary>
/// A big request computing in a factory's only compute slot, seen taken: a small request beside it has been turned
/// away. Cancelled on dispose, which gives the slot back.
/// </summary>
/// <remarks>
/// With no queue, a small probe that holds the slot at the instant the big request asks for it turns the big one away
/// (429). That race is the test's own, not the service's, so a big request turned away is sent again.
/// </remarks>
internal sealed class HeldSlot : IAsyncDisposable
{
    private const int Attempts = 5;
    private readonly CancellationTokenSource _cancel = new();
    private Task<HttpResponseMessage> _big = null!;

    private HeldSlot()
    {
    }

    /// <summary>Whether the big request has ended: checks made after that proved nothing.</summary>
    public bool Completed => _big.IsCompleted;

    /// <summary>Sends <paramref name="big"/>, then <paramref name="probe"/> every 50 ms until a probe is not 200.</summary>
    /// <returns>The slot and the probe's refusal, which the caller disposes.</returns>
    public static async Task<(HeldSlot Slot, HttpResponseMessage Refusal)> TakeAsync(
        Func<CancellationToken, Task<HttpResponseMessage>> big, Func<Task<HttpResponseMessage>> probe)
    {
        var slot = new HeldSlot();
        for (var attempt = 1; ; attempt++)
        {
            slot._big = big(slot._cancel.Token);
            var refusal = await slot.ProbeUntilRefusedAsync(probe);
            if (refusal.StatusCode != HttpStatusCode.OK)
                return (slot, refusal);
            var turnedAway = slot._big.IsCompletedSuccessfully && slot._big.Result.StatusCode == HttpStatusCode.TooManyRequests;
            if (!turnedAway || attempt == Attempts)
            {
                var ending = slot._big.IsCompletedSuccessfully ? $"answered {(int)slot._big.Result.StatusCode}" : slot._big.Status.ToString();
                refusal.Dispose();
                await slot.DisposeAsync();
                throw new InvalidOperationException($"no probe was turned away beside the big request (attempt {attempt}); the big request {ending}");
            }
            slot._big.Result.Dispose();
            refusal.Dispose();
        }
    }

    private async Task<HttpResponseMessage> ProbeUntilRefusedAsync(Func<Task<HttpResponseMessage>> probe)
    {
        for (var i = 0; ; i++)
        {
            var response = await probe();
            if (response.StatusCode != HttpStatusCode.OK || _big.IsCompleted || i == 600)
                return response;
            response.Dispose();
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            (await _big).Dispose();
        }
        catch (OperationCanceledException)
        {
            // the point: the big request is abandoned
        }
        _cancel.Dispose();
    }
}
