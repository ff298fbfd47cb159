namespace Telemed.Server.Identity;

public static class IdentityEndpoints
{
    public static WebApplication MapIdentity(this WebApplication app)
    {
        // With an external OpenID Connect issuer, sign-in and registration happen there.
        if (!app.Configuration.UsesExternalIssuer())
        {
            app.MapSignIn();
            app.MapPasswords();
            app.MapMfa();
        }
        app.MapPatients();
        app.MapDependants(issuesTokens: !app.Configuration.UsesExternalIssuer());
        app.MapAdmin();
        return app;
    }
}
