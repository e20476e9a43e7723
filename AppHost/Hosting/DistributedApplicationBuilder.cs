using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using RealtimeAspire.Hosting.Dashboard;
using RealtimeAspire.Hosting.Orchestration;
using RealtimeAspire.Hosting.Resources;
using RealtimeAspire.Hosting.Testing;

namespace RealtimeAspire.Hosting;

/// <summary>Collects the topology that <c>AppHost/Program.cs</c> declares and builds the application that runs it.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly WebApplicationBuilder _host;
    private readonly List<Resource> _resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        _host = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json sits beside the built AppHost, wherever `dotnet run` was started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        _host.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        Options = _host.Configuration.GetSection(AppHostOptions.SectionName).Get<AppHostOptions>() ?? new AppHostOptions();
        // Before anything starts: a bad setting is one clear error, not a half-started topology.
        Validator.ValidateObject(Options, new ValidationContext(Options), validateAllProperties: true);
        Options.DataPath = Path.GetFullPath(Options.DataPath ?? Path.Combine(BuildInfo.RepositoryRoot, ".data"));
        Secrets = new DevSecrets(Path.Combine(Options.DataPath, "secrets.json"));
    }

    public IConfigurationManager Configuration => _host.Configuration;

    public IHostEnvironment Environment => _host.Environment;

    public AppHostOptions Options { get; }

    /// <summary>Development secrets generated at run time into the data folder; never part of the repository.</summary>
    public DevSecrets Secrets { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    public ResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already declared.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public ResourceBuilder<PostgresServerResource> AddPostgres(string name) =>
        AddResource(new PostgresServerResource(name, Path.Combine(Options.DataPath!, name), Secrets.Get($"{name}-password"), Options));

    public ResourceBuilder<RedisResource> AddRedis(string name) =>
        AddResource(new RedisResource(name, Secrets.Get($"{name}-password"), Configuration.GetConnectionString(name), Options));

    public ResourceBuilder<KafkaResource> AddKafka(string name, params string[] topics) =>
        AddResource(new KafkaResource(name, new Projects.KafkaMockBroker(), Configuration.GetConnectionString(name), topics));

    public ResourceBuilder<ProjectResource> AddProject<TProject>(string name) where TProject : IProjectMetadata, new() =>
        AddResource(new ProjectResource(name, new TProject(), Environment.EnvironmentName));

    public DistributedApplication Build()
    {
        foreach (var project in _resources.OfType<ProjectResource>())
        {
            project.AllocateEndpoints();
        }
        if (Options.DashboardPort == 0)
        {
            Options.DashboardPort = PortAllocator.GetFreePort();
        }
        var dashboardUrl = $"http://localhost:{Options.DashboardPort}";
        _host.WebHost.UseUrls(dashboardUrl);

        _host.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        _host.Services.AddSingleton(new DistributedApplicationModel(_resources, dashboardUrl));
        _host.Services.AddSingleton(TimeProvider.System);
        _host.Services.AddSingleton<ResourceOrchestrator>();
        _host.Services.AddHostedService(sp => sp.GetRequiredService<ResourceOrchestrator>());
        _host.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // Every child must get a graceful stop before the host gives up on it.
        _host.Services.Configure<HostOptions>(host => host.ShutdownTimeout = Options.StopTimeout * 2 + TimeSpan.FromSeconds(5));

        var web = _host.Build();
        web.MapResourcesApi();

        var application = new DistributedApplication(web, dashboardUrl);
        DistributedApplicationEntryPoint.OnBuilt(application);
        return application;
    }
}
