namespace RealtimeAspire.AppHost.LocalInfrastructure;

public static class DevelopmentSecretsExtensions
{
    public static DevelopmentSecrets AddDevelopmentSecrets(this IDistributedApplicationBuilder builder) =>
        new(builder, Path.Combine(LocalInfrastructureOptions.From(builder).ResolvedDataPath, "secrets.json"));
}
