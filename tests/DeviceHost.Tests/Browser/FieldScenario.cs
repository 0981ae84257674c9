using System.Globalization;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Browser;

/// <summary>
/// What a technician does when the field moves, in the browser: a head on two scenes watches other scenes and a
/// covered lens; the drift banner names the signal and shows the alarm's frame; the lens is uncovered, and the
/// hard-sample panel lists the frames where the answer changed: one is assigned to its suggestion, two at once to a
/// typed class, one discarded; the banner goes, and the head is adapted to the camera.
/// </summary>
internal static class FieldScenario
{
    private static readonly string[] Classes = ["stripes", "blobs"];

    private const int SamplesPerClass = 4;

    public static async Task RunAsync(Uri address, string token, ITestOutputHelper output)
    {
        using var device = new DeviceProbe(address);
        using var browser = new BrowserSession("technician-field", output);
        var page = new CalibrationPage(browser, device);

        await page.OpenAsync(address);
        page.RequestAddClass(Classes[0]);
        page.AnswerTokenDialog(token);
        page.WaitForClass(Classes[0]);
        page.AddClass(Classes[1]);
        foreach (var label in Classes)
        {
            await page.ShowSceneAsync(label);
            for (var i = 0; i < SamplesPerClass; i++)
            {
                await page.CaptureAsync(label);
            }
        }

        page.WaitForActive(page.Train());
        Assert.False(browser.Visible("drift-banner"), "A scene the head was trained on raises no drift alarm.");

        // Scenes the head never saw, then a covered lens.
        await page.ShowSceneAsync("checker");
        await page.ShowSceneAsync("gradient");
        await page.ShowSceneAsync("covered");
        browser.WaitUntil(() => browser.Visible("drift-banner") && browser.Exists("drift-signal-brightness"),
            "the drift banner to name the brightness signal", TimeSpan.FromSeconds(60));
        Assert.Contains("dark", browser.Text("drift-signal-brightness"), StringComparison.Ordinal);
        browser.WaitUntil(() => browser.Exists("drift-frame-0")
            && browser.Get("drift-frame-0").GetDomProperty("naturalWidth") is { } w && w != "0", "an example frame of the alarm");
        page.Screenshots("drift-alarm");

        // Uncovered, the camera sees the trained scenes again; every change of the answer kept a frame for review.
        await page.ShowSceneAsync("blobs");
        await page.ShowSceneAsync("stripes");
        await page.ShowSceneAsync("blobs");
        browser.WaitUntil(() => browser.All("review-item-").Count >= 4, "four hard samples in the review panel", TimeSpan.FromSeconds(60));

        // Newest first; the ids stay put while the technician works.
        var ids = browser.All("review-item-").Select(e => e.GetAttribute("data-id")!).Take(4).ToList();
        var suggested = browser.Get($"review-suggested-{ids[0]}").GetAttribute("data-label")!;
        Assert.Contains(suggested, Classes);
        var before = Classes.ToDictionary(l => l, page.Samples);

        browser.Click($"review-accept-{ids[0]}");
        WaitGone(browser, ids[0]);
        browser.WaitUntil(() => page.Samples(suggested) == before[suggested] + 1, $"{suggested} to gain the accepted frame");

        browser.Get($"review-select-{ids[1]}").Click();
        browser.Get($"review-select-{ids[2]}").Click();
        Assert.Equal("Assign 2 selected", browser.Text("review-assign"));
        browser.Type("review-label", "blobs");
        browser.Click("review-assign");
        WaitGone(browser, ids[1]);
        WaitGone(browser, ids[2]);
        var blobs = before["blobs"] + 2 + (suggested == "blobs" ? 1 : 0);
        browser.WaitUntil(() => page.Samples("blobs") == blobs, $"blobs to count {blobs} samples");

        browser.Get($"review-select-{ids[3]}").Click();
        browser.Click("review-discard");
        WaitGone(browser, ids[3]);
        Assert.Equal(before["stripes"] + (suggested == "stripes" ? 1 : 0), page.Samples("stripes"));

        // The blur reference is the mean sharpness of the first healthy window, whatever mix of the two trained scenes
        // the camera showed then, and the smooth blobs alone can sit inside the blur alarm's hysteresis band (above the
        // threshold, below the clear level): the sharpest trained scene clears it whatever that mix was.
        await page.ShowSceneAsync("stripes");
        browser.WaitUntil(() => !browser.Visible("drift-banner"), "the drift banner to go once the lens is uncovered", TimeSpan.FromSeconds(60));
        page.Screenshots("hard-samples-reviewed");

        var heads = browser.All("head-row-").Count;
        browser.Click("adapt-button");
        browser.WaitUntil(() => browser.Get("adapt-result").GetAttribute("data-state") is "activated" or "kept" or "failed",
            "the adaptation to finish", TimeSpan.FromMinutes(2));
        Assert.True(browser.Get("adapt-result").GetAttribute("data-state") != "failed", browser.Text("adapt-result"));
        Assert.Contains("adapted from", browser.Text("adapt-result"), StringComparison.Ordinal);
        browser.WaitUntil(() => browser.All("head-row-").Count == heads + 1, "the adapted head in the history");
        page.Screenshots("adapted");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adaptation: {browser.Text("adapt-result")}"));
    }

    private static void WaitGone(BrowserSession browser, string id) =>
        browser.WaitUntil(() => !browser.Exists($"review-item-{id}"), $"review item {id} to leave the panel");
}
