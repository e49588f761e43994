using TTMall.Hosting;

namespace TTMall.Hosting.Tests;

public class InfrastructureModeSelectorTests
{
    private static readonly ContainerEngineStatus Answers = new(true, "docker 28.2.2");
    private static readonly ContainerEngineStatus Silent = new(false, "'docker info' failed: Cannot connect to the Docker daemon");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Auto")]
    [InlineData(" auto ")]
    public void Auto_uses_containers_when_an_engine_answers(string? setting) =>
        Assert.Equal(InfrastructureMode.Containers, InfrastructureModeSelector.Select(setting, () => Answers));

    [Theory]
    [InlineData(null)]
    [InlineData("AUTO")]
    public void Auto_falls_back_to_local_servers_without_an_engine(string? setting) =>
        Assert.Equal(InfrastructureMode.Local, InfrastructureModeSelector.Select(setting, () => Silent));

    [Theory]
    [InlineData("Local")]
    [InlineData("local")]
    public void Local_is_forced_without_asking_the_engine(string setting) =>
        Assert.Equal(InfrastructureMode.Local,
            InfrastructureModeSelector.Select(setting, () => throw new InvalidOperationException("the engine must not be asked")));

    [Fact]
    public void Containers_forced_with_an_engine_uses_containers() =>
        Assert.Equal(InfrastructureMode.Containers, InfrastructureModeSelector.Select("Containers", () => Answers));

    [Fact]
    public void Containers_forced_without_an_engine_says_so_and_what_to_do()
    {
        var error = Assert.Throws<MallSetupException>(() => InfrastructureModeSelector.Select("containers", () => Silent));
        Assert.Contains("no container engine answers", error.Message);
        Assert.Contains("Cannot connect to the Docker daemon", error.Message);
        Assert.Contains("TTMall:Infrastructure=Local", error.Message);
    }

    [Fact]
    public void An_unknown_mode_names_the_valid_ones()
    {
        var error = Assert.Throws<MallSetupException>(() => InfrastructureModeSelector.Select("Kubernetes", () => Answers));
        Assert.Contains("'Kubernetes'", error.Message);
        Assert.Contains("Auto", error.Message);
        Assert.Contains("Containers", error.Message);
        Assert.Contains("Local", error.Message);
    }
}
