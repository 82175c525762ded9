package dev.storyboard.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module layering of docs/ARCHITECTURE.md, enforced: ui → domain ← inference, app wires them. */
@AnalyzeClasses(packages = "dev.storyboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule inferenceNeverUsesJavaFx = noClasses().that().resideInAPackage("dev.storyboard.inference..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("the inference service runs without a UI (CLI render, tests)");

    @ArchTest
    static final ArchRule uiNeverUsesDjl = noClasses().that().resideInAPackage("dev.storyboard.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "dev.storyboard.inference..", "org.bytedeco..")
            .because("the editor talks to generation only through the domain's GenerationService");

    @ArchTest
    static final ArchRule domainIsPure = noClasses().that().resideInAPackage("dev.storyboard.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "ai.djl..", "org.bytedeco..",
                    "dev.storyboard.ui..", "dev.storyboard.inference..", "dev.storyboard.media..", "dev.storyboard.app..")
            .because("the domain is shared by every module and must stay free of frameworks");

    @ArchTest
    static final ArchRule mediaNeverUsesJavaFxOrDjl = noClasses().that().resideInAPackage("dev.storyboard.media..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "ai.djl..", "dev.storyboard.ui..",
                    "dev.storyboard.inference..");

    @ArchTest
    static final ArchRule judgeNeverUsesJavaFxOrDjl = noClasses().that().resideInAPackage("dev.storyboard.judge..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "ai.djl..", "dev.storyboard.ui..",
                    "dev.storyboard.inference..")
            .because("the judge scores any video, from the engine or from a file, without a UI");

    @ArchTest
    static final ArchRule onlyAppWiresModules = noClasses().that().resideOutsideOfPackage("dev.storyboard.app..")
            .should().dependOnClassesThat().resideInAPackage("dev.storyboard.app..")
            .because("app is the composition root; nothing depends on it");

    @ArchTest
    static final ArchRule inferencePackagesHaveNoCycles = slices().matching("dev.storyboard.inference.(*)..")
            .should().beFreeOfCycles()
            .because("the engine is layered: weights and nn under dit, vae and codec; model assembles them; "
                    + "session and sampler run them; service and bench on top (docs/ARCHITECTURE.md)");

    @ArchTest
    static final ArchRule benchIsNotUsedByTheProduct = noClasses().that().resideInAPackage("dev.storyboard.inference..")
            .and().resideOutsideOfPackage("dev.storyboard.inference.bench..")
            .should().dependOnClassesThat().resideInAPackage("dev.storyboard.inference.bench..")
            .because("the benchmark measures the engine; the engine does not know it");
}
