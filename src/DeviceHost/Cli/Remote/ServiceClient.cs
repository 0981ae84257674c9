using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceHost.Api;
using Microsoft.Extensions.Configuration;

namespace DeviceHost.Cli.Remote;

/// <summary>
/// Talks to the running service's HTTP API on loopback, with the technician token read from the service's token
/// file, for technicians working over SSH. Owns its HttpClient.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    private readonly HttpClient _http;

    public ServiceClient(IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var api = new ApiOptions();
        configuration.GetSection("Api").Bind(api);
        var host = api.Address is "0.0.0.0" or "::" ? "127.0.0.1" : api.Address.Contains(':', StringComparison.Ordinal) ? $"[{api.Address}]" : api.Address;
        BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{api.Port}/"));
        TokenFile = api.TokenFile is { Length: > 0 } file ? file : Path.Combine(dataDirectory, "api-token");
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public string TokenFile { get; }

    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, false, cancellationToken);

    public Task<JsonNode> PostAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, true, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body, bool authorize, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (authorize)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadToken());
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceUnavailableException(
                $"The EdgeRuntime service is not running at {BaseAddress} ({ex.Message}). Start it with 'sudo systemctl start edgeruntime' or 'edgeruntime run'.", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? json = null;
            try
            {
                json = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (JsonException)
            {
            }

            if (!response.IsSuccessStatusCode)
            {
                var detail = json?["detail"]?.GetValue<string>() ?? json?["title"]?.GetValue<string>() ?? response.ReasonPhrase;
                throw new ServiceUnavailableException(string.Create(CultureInfo.InvariantCulture, $"The service refused: {(int)response.StatusCode} {detail}"));
            }

            return json ?? new JsonObject();
        }
    }

    private string ReadToken()
    {
        try
        {
            return File.ReadAllText(TokenFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ServiceUnavailableException($"Cannot read the technician token from {TokenFile} ({ex.Message}); run as the service user or a member of its group.", ex);
        }
    }
}
