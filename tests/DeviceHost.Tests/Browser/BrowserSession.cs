using System.Globalization;
using EdgeRuntime.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace DeviceHost.Tests.Browser;

/// <summary>
/// Headless Chromium driven through the Debian chromedriver, with a fresh profile per session and full-page
/// screenshots saved under TestResults/screenshots/&lt;scenario&gt;/ next to the test binaries.
/// </summary>
internal sealed class BrowserSession : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    /// <summary>Generous: a wait ends as soon as its condition holds, this only bounds a broken run.</summary>
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    private readonly TestDirectory _profile = new("edgeruntime-chromium");
    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly ITestOutputHelper _output;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _step;

    public BrowserSession(string scenario, ITestOutputHelper output)
    {
        _output = output;
        if (!File.Exists(ChromiumPath) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need {ChromiumPath} and {DriverPath}: apt-get install -y chromium chromium-driver (scripts/install-deps.sh does).");
        }

        ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", scenario);
        Directory.CreateDirectory(ScreenshotDirectory);
        output.WriteLine($"Screenshots: {ScreenshotDirectory}");

        // An explicit driver path and browser binary keep Selenium Manager from looking for (or downloading) either.
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        _service.HideCommandPromptWindow = true;
        _service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", $"--user-data-dir={_profile.Path}");
        _driver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
        Viewport(1280, 900);
    }

    public string ScreenshotDirectory { get; }

    public IWebDriver Driver => _driver;

    public void Open(Uri address) => _driver.Navigate().GoToUrl(address);

    /// <summary>Emulates a screen of this size (a phone at 375 wide), independent of the headless window's minimum.</summary>
    public void Viewport(int width, int height)
    {
        _driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = width < 600,
        });
        Width = width;
        Height = height;
    }

    public int Width { get; private set; }

    public int Height { get; private set; }

    /// <summary>The element with this data-testid; fails when absent.</summary>
    public IWebElement Get(string testId) => _driver.FindElement(By.CssSelector(Selector(testId)));

    public IReadOnlyList<IWebElement> All(string testIdPrefix) =>
        _driver.FindElements(By.CssSelector($"[data-testid^=\"{testIdPrefix}\"]"));

    public bool Exists(string testId) => _driver.FindElements(By.CssSelector(Selector(testId))).Count > 0;

    public bool Visible(string testId)
    {
        var found = _driver.FindElements(By.CssSelector(Selector(testId)));
        return found.Count > 0 && found[0].Displayed;
    }

    public object? Script(string script, params object[] arguments) => _driver.ExecuteScript(script, arguments);

    public string Text(string testId) => Get(testId).Text.Trim();

    public void Click(string testId)
    {
        var element = WaitFor(() => Get(testId) is { Displayed: true, Enabled: true } e ? e : null, $"{testId} to be clickable");
        // Scrolled to the middle so the sticky header never covers the target.
        _driver.ExecuteScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.Click();
    }

    public void Type(string testId, string text)
    {
        var element = WaitFor(() => Get(testId) is { Displayed: true } e ? e : null, $"{testId} to be visible");
        element.Clear();
        element.SendKeys(text);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; on timeout, says what was awaited and what the page showed.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Await(_ => condition(), what, timeout);

    /// <summary>Waits until <paramref name="probe"/> finds something, and returns it.</summary>
    public T WaitFor<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class =>
        Await(_ => probe(), what, timeout)!;

    private TResult Await<TResult>(Func<IWebDriver, TResult> condition, string what, TimeSpan? timeout)
    {
        var wait = new WebDriverWait(_driver, timeout ?? DefaultWait) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            var shot = Screenshot("timeout");
            var banner = Visible("error-banner") ? Text("error-banner") : "(no error banner)";
            throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}. Error banner: {banner}. Screenshot: {shot}");
        }
    }

    /// <summary>Saves a full-page PNG named after the step, numbered in order, and prints its path.</summary>
    public string Screenshot(string step)
    {
        _step++;
        var path = Path.Combine(ScreenshotDirectory, string.Create(CultureInfo.InvariantCulture, $"{_step:00}-{step}-{Width}px.png"));
        // The page is made as tall as its content for the shot, then given its screen size back.
        var fullHeight = Convert.ToInt32(
            _driver.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight);"), CultureInfo.InvariantCulture);
        var (width, height) = (Width, Height);
        Viewport(width, Math.Max(height, fullHeight));
        try
        {
            _driver.GetScreenshot().SaveAsFile(path);
        }
        finally
        {
            Viewport(width, height);
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,6:0.0} s  screenshot {path}"));
        return path;
    }

    public void Dispose()
    {
        try
        {
            _driver.Quit();
        }
        finally
        {
            _driver.Dispose();
            _service.Dispose();
            _profile.Dispose();
        }
    }

    private static string Selector(string testId) => $"[data-testid=\"{testId.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
}
