using Weft.Bookinfo;
using Weft.Bookinfo.Reviews;

return await ServiceProgram.RunAsync(
    "reviews",
    ServiceCommandLine.Usage("Weft.Bookinfo.Reviews", ReviewsOptions.EnvironmentHelp),
    args,
    ReviewsOptions.FromEnvironment,
    async options => await ReviewsServer.StartAsync(options));
