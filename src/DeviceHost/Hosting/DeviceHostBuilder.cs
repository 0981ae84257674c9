using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceHost.Calibration;
using DeviceHost.Api;
using DeviceHost.Composition;
using DeviceHost.Gpio;
using DeviceHost.Pipeline;
using DeviceHost.Sources;
using EdgeRuntime.Execution;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;
using Serilog;

namespace DeviceHost.Hosting;

/// <summary>
/// Composes the device service: configuration, validated options, Serilog, systemd integration, the engine, the
/// camera loop and the HTTP API. Used by <c>edgeruntime run</c> and, in process, by the tests.
/// </summary>
public static class DeviceHostBuilder
{
    public static WebApplication Build(string? configFile, string? dataDirectory, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureTestServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        DeviceConfiguration.AddSources(builder.Configuration, configFile, overrides);
        var data = Composition.DataDirectory.Resolve(dataDirectory, builder.Configuration[Composition.DataDirectory.ConfigurationKey]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [Composition.DataDirectory.ConfigurationKey] = data });
        Directory.CreateDirectory(data);

        ConfigureLogging(builder, data);
        builder.Services.AddSystemd();

        // AddSystemd registers the notifier only under systemd; the watchdog asks IsEnabled instead.
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var api = AddValidatedOptions<ApiOptions>(builder, "Api", o => o.Validate());
        AddValidatedOptions<PipelineOptions>(builder, "Pipeline", o => o.Validate());
        AddValidatedOptions<DeviceOptions>(builder, null, o => o.Validate());
        AddValidatedOptions<TrainingJobOptions>(builder, "Calibration", o => o.Validate());

        // The backbone loads in a hosted service; its options are checked now so a bad value stops the start, naming its key.
        if (EngineLoader.BindBackbone(builder.Configuration).Validate() is { } backboneProblem)
        {
            throw new OptionsValidationException("Backbone", typeof(EdgeRuntime.Embeddings.BackboneOptions), [backboneProblem]);
        }

        // Likewise the calibration options (the workspace opens in a hosted service, after the backbone has loaded).
        var calibration = new EdgeRuntime.Calibration.CalibrationOptions();
        builder.Configuration.GetSection("Calibration").Bind(calibration);
        if (calibration.Validate() is { } calibrationProblem)
        {
            throw new OptionsValidationException("Calibration", typeof(EdgeRuntime.Calibration.CalibrationOptions), [calibrationProblem]);
        }
        AddValidatedOptions<EdgeRuntime.Drift.DriftOptions>(builder, "Drift", o => o.Validate());
        AddValidatedOptions<EdgeRuntime.Review.ReviewOptions>(builder, "Review", o => o.Validate());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(api.Address == "localhost" ? IPAddress.Loopback : IPAddress.Parse(api.Address), api.Port);

            // Multipart framing around the largest accepted image.
            kestrel.Limits.MaxRequestBodySize = api.MaxUploadBytes + (64 * 1024);
        });

        AddServices(builder.Services, builder.Configuration, data, api);
        Fleet.FleetWiring.Add(builder.Services, builder.Configuration, data);
        configureTestServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (!api.IsLoopback)
        {
            app.Logger.LogWarning(
                "The API listens on {Address}:{Port}, reachable from the network over plain HTTP (Api:AllowRemote is true); the technician token can be seen by anyone on that network",
                api.Address,
                api.Port);
        }

        RequestHardening.Use(app, api);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var ui = new EmbeddedFileProvider(typeof(DeviceHostBuilder).Assembly, "DeviceHost.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = ui });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = ui,

            // Revalidate every time: after an upgrade a technician's browser must not keep the old page.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        MonitoringEndpoints.Map(app);
        SampleEndpoints.Map(app);
        TrainingEndpoints.Map(app);
        HeadEndpoints.Map(app);
        SourceEndpoints.Map(app);
        Field.FieldEndpoints.Map(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration, string data, ApiOptions api)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddSingleton(sp => EngineLoader.CreateFactory(EngineLoader.BindExecution(configuration), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<BackboneService>();
        services.AddHostedService(sp => sp.GetRequiredService<BackboneService>());
        services.AddSingleton<CalibrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<CalibrationService>());
        services.AddSingleton<TrainingJobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<TrainingJobRunner>());
        services.AddSingleton<Precision.PrecisionService>();
        services.AddHostedService(sp => sp.GetRequiredService<Precision.PrecisionService>());
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;

            // A NaN that slips through (a metric of an empty set) must not turn /status into a 500: write "NaN".
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });

        services.AddSingleton(new SyntheticSceneControl());
        services.AddSingleton(sp =>
        {
            var pipeline = sp.GetRequiredService<IOptions<PipelineOptions>>().Value;
            var sourceOptions = new FrameSourceOptions { TimeProvider = sp.GetRequiredService<TimeProvider>(), SceneControl = sp.GetRequiredService<SyntheticSceneControl>(), CaptureNice = pipeline.CaptureNice };
            return FrameSourceOpener.ForUri(pipeline.Source, sourceOptions);
        });
        services.AddSingleton(sp =>
        {
            var supervisor = new SupervisorOptions();
            configuration.GetSection("Pipeline:Supervisor").Bind(supervisor);
            return SupervisedFrameSource.For(sp.GetRequiredService<FrameSourceOpener>(), supervisor, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SupervisedFrameSource>>());
        });
        services.AddSingleton(sp => new PipelineMetrics(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<PipelineOptions>>().Value.LatencyWindow));
        services.AddSingleton(sp => new PredictionFeed(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.HistorySize));
        services.AddSingleton<LatestFrame>();
        services.AddSingleton<ActiveHead>();
        services.AddSingleton<DeviceState>();
        services.AddSingleton<StatusReport>();
        services.AddSingleton(sp => new Field.FieldWatch(
            sp.GetRequiredService<IOptions<EdgeRuntime.Drift.DriftOptions>>().Value,
            sp.GetRequiredService<IOptions<EdgeRuntime.Review.ReviewOptions>>().Value,
            configuration.GetSection("Calibration:Adaptation").Get<EdgeRuntime.Adaptation.AdaptationOptions>()?.MaximumFrames ?? new EdgeRuntime.Adaptation.AdaptationOptions().MaximumFrames,
            data,
            sp.GetRequiredService<ActiveHead>(),
            sp.GetRequiredService<PipelineMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(ApiToken.LoadOrCreate(api.TokenFile is { Length: > 0 } tokenFile ? tokenFile : Path.Combine(data, "api-token")));
        services.AddSingleton<RequireTokenFilter>();
        services.AddHostedService<FramePipeline>();
        services.AddHostedService<WatchdogService>();
        services.AddSingleton(sp =>
        {
            var gpio = new GpioOptions();
            configuration.GetSection("Gpio").Bind(gpio);
            return gpio;
        });
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GpioService>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<GpioService>());
    }

    private static TOptions AddValidatedOptions<TOptions>(WebApplicationBuilder builder, string? section, Func<TOptions, string?> validate)
        where TOptions : class, new()
    {
        var config = section is null ? (IConfiguration)builder.Configuration : builder.Configuration.GetSection(section);
        builder.Services.AddOptions<TOptions>().Bind(config).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new DelegateOptionsValidator<TOptions>(validate));

        // Kestrel needs some values before the container exists; they are validated here too, with the same message.
        var snapshot = new TOptions();
        config.Bind(snapshot);
        if (validate(snapshot) is { } problem)
        {
            throw new OptionsValidationException(typeof(TOptions).Name, typeof(TOptions), [problem]);
        }

        return snapshot;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, string data)
    {
        var logDirectory = builder.Configuration["LogDirectory"] is { Length: > 0 } configured ? configured
            : Environment.GetEnvironmentVariable("LOGS_DIRECTORY") is { Length: > 0 } systemd ? systemd.Split(':')[0]
            : Path.Combine(data, "logs");
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .WriteTo.Console(
                    outputTemplate: "[{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture)
                .WriteTo.File(
                    Path.Combine(logDirectory, "edgeruntime-.log"),
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: int.TryParse(builder.Configuration["LogRetainedFiles"], out var keep) ? keep : 14,
                    fileSizeLimitBytes: 50L * 1024 * 1024,
                    rollOnFileSizeLimit: true,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            if (builder.Configuration.GetSection("Serilog:MinimumLevel").Value is null && builder.Configuration.GetSection("Serilog:MinimumLevel:Default").Value is null)
            {
                logger.MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning);
            }
        });
    }
}
