using Microsoft.Extensions.Options;

namespace Telemed.Server.Documents;

public static class DocumentsSetup
{
    public static IServiceCollection AddTelemedDocuments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PdfOptions>().Bind(configuration.GetSection(PdfOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PdfOptions>, PdfOptionsValidator>();
        services.AddSingleton<PdfFonts>();
        return services;
    }
}
