using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using EdgeRuntime.TestSupport.Images;
using OpenCvSharp;

namespace DeviceHost.Tests.Reliability;

/// <summary>
/// A seeded generator of hostile requests against the documented endpoints: malformed and oversized JSON, odd
/// charsets and content types, empty and huge bodies, path-like, unicode and over-long labels, negative and huge
/// numbers, multipart garbage, decompression bombs, missing or wrong tokens and foreign Host headers. The same seed
/// gives the same requests, so a failure names the seed and index that reproduce it.
/// </summary>
public sealed class RequestFuzzer(int seed, IReadOnlyList<(string Method, string Template, bool HasQuery)> endpoints, string token, int port)
{
    private static readonly string[] Labels =
    [
        "ripe", "unripe", "ripe", "../x", "..%2Fx", "a%2Fb", "%2E%2E", ".hidden", "%20", "%00", "tab%09", "%C3%A9t%C3%A9", "%F0%9F%98%80",
        "con", "a\\b", new string('x', 65), new string('y', 5000), "%FF%FE", "label%0D%0AX-Injected:%201", "*", "%", "null",
    ];

    private static readonly string[] Numbers = ["1", "0", "-1", "2", "3", "999999", "2147483648", "-2147483649", "99999999999999999999", "1e9", "0x10", "abc", "%20", "1.5"];

    private static readonly string[] JsonBodies =
    [
        "", "{", "}", "[]", "null", "true", "0", "\"text\"", "{}", "{\"label\":null}", "{\"label\":5}", "{\"label\":[]}", "{\"label\":{}}",
        "{\"label\":\"ripe\"}", "{\"label\":\"unripe\"}", "{\"label\":\"../x\"}", "{\"label\":\"\\u0000\"}", "{\"label\":\"\\ud800\"}",
        "{\"newLabel\":\"unripe\"}", "{\"newLabel\":\"ripe\"}", "{\"newLabel\":\"\"}", "{\"newLabel\":\"..\\\\x\"}",
        "{\"headKind\":\"deep\"}", "{\"headKind\":\"linear\",\"force\":\"yes\"}", "{\"force\":true,\"note\":null}", "{\"headKind\":7}",
        "{\"scene\":\"stripes\"}", "{\"scene\":\"volcano\"}", "{\"scene\":null}", "{\"label\":\"ripe\",\"label\":\"x\"}",
        "{\"label\":\"ripe\"", "{'label':'ripe'}", "{\"label\":\"ripe\"} trailing", "\u00ef\u00bb\u00bf{\"label\":\"ripe\"}",

        // Review queue and adaptation.
        "{\"ids\":[]}", "{\"ids\":null,\"label\":\"ripe\"}", "{\"ids\":[\"x\"],\"label\":\"ripe\"}", "{\"ids\":[5],\"label\":\"ripe\"}",
        "{\"ids\":\"abc\",\"label\":\"ripe\"}", "{\"ids\":[\"../../api-token\"],\"label\":\"ripe\"}", "{\"ids\":[\"x\"],\"label\":\"\"}",
        "{\"ids\":[\"x\"],\"label\":\"../x\"}", "{\"ids\":[null]}",
        "{\"folder\":\"/nonexistent/frames\"}", "{\"folder\":\"../x\"}", "{\"folder\":\"\"}", "{\"folder\":7}", "{\"frames\":-1}",
        "{\"frames\":0}", "{\"frames\":2147483647}", "{\"frames\":1e99}", "{\"frames\":\"many\"}", "{\"coral\":\"yes\"}",
        "{\"force\":null}", "{\"frames\":40,\"coral\":true,\"note\":\"fuzz\"}",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=\"utf-8\"", "application/json; charset=bogus",
        "application/json; charset=utf-16", "application/json;;;", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data", "multipart/form-data; boundary=", "application/octet-stream", "image/png", "*/*", "application/problem+json",
    ];

    private readonly Random _random = new(seed);
    private readonly byte[] _validPng = EncodeSmallPng(seed);
    private int _next;

    public int Seed => seed;

    /// <summary>The next request; endpoints are taken in turn so every one is hit, the rest is random.</summary>
    public HttpRequestMessage Next(out string description)
    {
        var (method, template, hasQuery) = endpoints[_next++ % endpoints.Count];
        var path = template.Replace("{label}", Pick(Labels), StringComparison.Ordinal)
            .Replace("{id}", Pick(Numbers), StringComparison.Ordinal)
            .Replace("{version}", Pick(Numbers), StringComparison.Ordinal)
            .Replace("{i}", Pick(Numbers), StringComparison.Ordinal);
        if (hasQuery || _random.Next(4) == 0)
        {
            path += $"?label={Pick(Labels)}&offset={Pick(Numbers)}&limit={Pick(Numbers)}";
        }

        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        string body = AddBody(request);
        string auth = AddToken(request);
        string host = AddHost(request);
        description = $"seed {seed} #{_next - 1}: {method} {path} [{request.Content?.Headers.ContentType?.ToString() ?? "no body"}; {body}; {auth}; host {host}]";
        return request;
    }

    private string AddBody(HttpRequestMessage request)
    {
        switch (_random.Next(10))
        {
            case 0:
                return "no body";
            case 1:
            case 2:
            case 3:
                var json = _random.Next(20) == 0 ? Huge() : _random.Next(20) == 0 ? Deep() : Pick(JsonBodies);
                request.Content = Raw(Encoding.UTF8.GetBytes(json), _random.Next(3) == 0 ? Pick(ContentTypes) : "application/json");
                return $"json {Shorten(json)}";
            case 4:
                request.Content = Raw(RandomBytes(_random.Next(0, 4096)), Pick(ContentTypes));
                return "random bytes";
            case 5:
                request.Content = Raw(Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\u00ff\u00d8" + new string('z', _random.Next(2000))), "multipart/form-data; boundary=x");
                return "truncated multipart";
            default:
                return AddUpload(request);
        }
    }

    private string AddUpload(HttpRequestMessage request)
    {
        var (bytes, what) = _random.Next(8) switch
        {
            0 => (ImageBombs.Png(8000, 6000), "png bomb 8000x6000"),
            1 => (ImageBombs.JpegHeader(65000, 65000), "jpeg header 65000x65000"),
            2 => (Array.Empty<byte>(), "empty file"),
            3 => (_validPng[..(_validPng.Length / 2)], "truncated png"),
            4 => ([0x89, 0x50, 0x4E, 0x47, .. RandomBytes(300)], "png signature + garbage"),
            5 => (RandomBytes(256 * 1024), "256 KiB of noise"),
            _ => (Shifted(_validPng), "valid png"),
        };
        var form = new MultipartFormDataContent();
        if (_random.Next(6) != 0)
        {
            form.Add(new StringContent(Uri.UnescapeDataString(Pick(Labels).Replace("%", "%25", StringComparison.Ordinal))), "label");
        }

        if (_random.Next(6) != 0)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(_random.Next(2) == 0 ? "image/png" : "application/octet-stream");
            form.Add(file, _random.Next(5) == 0 ? "other" : "file", _random.Next(4) == 0 ? "../../etc/passwd" : "x.png");
        }

        request.Content = form;
        return "multipart " + what;
    }

    private string AddToken(HttpRequestMessage request)
    {
        switch (_random.Next(10))
        {
            case 0:
                return "no token";
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + string.Concat(token.Reverse()));
                return "wrong token";
            case 2:
                request.Headers.TryAddWithoutValidation("Authorization", _random.Next(2) == 0 ? "Basic " + token : "Bearer");
                return "malformed authorization";
            default:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                return "token";
        }
    }

    private string AddHost(HttpRequestMessage request)
    {
        string host = _random.Next(12) switch
        {
            0 => "evil.example",
            1 => "127.0.0.1.nip.io:" + port.ToString(CultureInfo.InvariantCulture),
            2 => "[::1]:" + port.ToString(CultureInfo.InvariantCulture),
            3 => "localhost:" + port.ToString(CultureInfo.InvariantCulture),
            _ => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        };
        request.Headers.Host = host;
        return host;
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string Huge() => "{\"label\":\"" + new string('h', _random.Next(70_000, 300_000)) + "\"}";

    private string Deep()
    {
        int depth = _random.Next(100, 5000);
        return new string('[', depth) + new string(']', depth);
    }

    // A distinct valid image each time (one changed pixel), so the store grows and training has something to do.
    private byte[] Shifted(byte[] png)
    {
        using var mat = Cv2.ImDecode(png, ImreadModes.Color);
        mat.Set(_random.Next(mat.Rows), _random.Next(mat.Cols), new Vec3b((byte)_random.Next(256), (byte)_random.Next(256), (byte)_random.Next(256)));
        return SyntheticImages.Encode(mat);
    }

    private static ByteArrayContent Raw(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static byte[] EncodeSmallPng(int seed)
    {
        using var mat = SyntheticImages.Create(ImageFamily.Checker, new Random(seed), 48, 40);
        return SyntheticImages.Encode(mat);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + $"...({text.Length} chars)";
}
