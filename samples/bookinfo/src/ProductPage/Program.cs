using Weft.Bookinfo;
using Weft.Bookinfo.ProductPage;

return await ServiceProgram.RunAsync(
    "productpage",
    ServiceCommandLine.Usage("Weft.Bookinfo.ProductPage", ProductPageOptions.EnvironmentHelp),
    args,
    ProductPageOptions.FromEnvironment,
    async options => await ProductPageServer.StartAsync(options));
