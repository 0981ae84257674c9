using System.Globalization;

namespace DeviceHost.Tests.Browser;

/// <summary>The technician page's actions in the words a technician would use, over <see cref="BrowserSession"/>.</summary>
internal sealed class CalibrationPage(BrowserSession browser, DeviceProbe device)
{
    public const string WrongTokenMessage = "Wrong or missing technician token";

    public BrowserSession Browser => browser;

    public async Task OpenAsync(Uri address)
    {
        await device.AssertServesPageAsync();
        browser.Open(address);
        browser.WaitUntil(() => browser.Text("status-source-state").EndsWith("streaming", StringComparison.Ordinal),
            "the status bar to show a streaming source");
        browser.WaitUntil(() => browser.Get("live-view").GetDomProperty("naturalWidth") is { } w && w != "0",
            "the live view to show a frame");
    }

    /// <summary>Answers the token dialog (which appears on the first change of the session).</summary>
    public void AnswerTokenDialog(string token)
    {
        browser.WaitUntil(() => browser.Visible("token-input"), "the token dialog");
        browser.Type("token-input", token);
        browser.Click("token-submit");
    }

    public void RequestAddClass(string label)
    {
        browser.Type("add-class-input", label);
        browser.Click("add-class-button");
    }

    public void WaitForClass(string label) =>
        browser.WaitUntil(() => browser.Visible($"class-{label}"), $"class {label} to be listed");

    public void AddClass(string label)
    {
        RequestAddClass(label);
        WaitForClass(label);
    }

    public int Samples(string label) =>
        int.Parse(browser.Text($"class-train-{label}"), CultureInfo.InvariantCulture)
        + int.Parse(browser.Text($"class-holdout-{label}"), CultureInfo.InvariantCulture);

    public int Thumbnails(string label) => browser.Get($"samples-{label}").FindElements(OpenQA.Selenium.By.TagName("img")).Count;

    /// <summary>Switches the synthetic scene from the live view and waits until the camera shows it.</summary>
    public async Task ShowSceneAsync(string scene)
    {
        browser.Click($"scene-{scene}");
        browser.WaitUntil(() => browser.Get($"scene-{scene}").GetAttribute("aria-pressed") == "true", $"scene {scene} to be chosen");
        await device.WaitForFreshFramesAsync(2);
    }

    /// <summary>Captures the current frame as <paramref name="label"/> and waits for the count to go up.</summary>
    public async Task CaptureAsync(string label)
    {
        var before = Samples(label);
        browser.Click($"capture-{label}");
        browser.WaitUntil(() => Samples(label) == before + 1, $"class {label} to count {before + 1} samples");
        // The next capture must be a different frame, or the store would see the same image twice.
        await device.WaitForFreshFramesAsync(1);
    }

    /// <summary>Starts training and waits until a result newer than the one on screen appears.</summary>
    public int Train()
    {
        var previous = browser.Visible("train-result") ? browser.Text("result-version") : "";
        browser.Click("train-button");
        browser.WaitUntil(
            () => browser.Text("train-state") switch
            {
                "succeeded" => browser.Visible("train-result") && browser.Text("result-version") != previous,
                "failed" or "cancelled" => true,
                _ => false,
            },
            "training to finish",
            TimeSpan.FromMinutes(3));
        Assert.True(browser.Text("train-state") == "succeeded", $"Training ended {browser.Text("train-state")}: {browser.Text("train-error")}");
        return int.Parse(browser.Text("result-version").TrimStart('v'), CultureInfo.InvariantCulture);
    }

    public void WaitForPrediction(string label) =>
        browser.WaitUntil(() => browser.Text("prediction-label") == label, $"the prediction to show {label}");

    public bool IsActive(int version) => browser.Get($"head-row-{version}").GetAttribute("data-active") == "true";

    public void WaitForActive(int version) =>
        browser.WaitUntil(() => browser.Exists($"head-row-{version}") && IsActive(version), $"head v{version} to be active");

    public void Activate(int version)
    {
        browser.Click($"activate-{version}");
        WaitForActive(version);
    }

    /// <summary>Rolls back and returns the head that became active (the one the page offered as target).</summary>
    public int RollBack()
    {
        browser.WaitUntil(() => browser.Get("rollback").Enabled, "roll back to be offered");
        var target = int.Parse(browser.Get("rollback").GetAttribute("data-target")!, CultureInfo.InvariantCulture);
        browser.Click("rollback");
        WaitForActive(target);
        return target;
    }

    /// <summary>Screenshots the page at laptop width and again at phone width.</summary>
    public void Screenshots(string step)
    {
        browser.Screenshot(step);
        var (width, height) = (browser.Width, browser.Height);
        browser.Viewport(375, 812);
        WaitForLayout(375);
        browser.Screenshot(step);
        browser.Viewport(width, height);
        WaitForLayout(width);
    }

    /// <summary>Waits until the page has laid out for the width and redrawn its canvases to fit.</summary>
    private void WaitForLayout(int width) =>
        browser.WaitUntil(
            () => Convert.ToInt32(browser.Script("return document.documentElement.clientWidth;"), CultureInfo.InvariantCulture) == width
                && Convert.ToBoolean(browser.Script(
                    "return [...document.querySelectorAll('canvas')].every(c => c.offsetParent === null || " +
                    "c.getBoundingClientRect().width <= c.parentElement.clientWidth + 1);"), CultureInfo.InvariantCulture),
            $"the page to fit {width} px");
}
