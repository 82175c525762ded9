package dev.storyboard.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers inside ui (docs/EDITOR.md): the feature packages form no cycle, and none of them knows the root
 * package, where the façade ({@link EditorViewModel}), the window ({@link EditorView}) and the composition
 * ({@link EditorEnvironment}) live. The root may use every subpackage, never the reverse.
 */
@AnalyzeClasses(packages = "dev.storyboard.ui", importOptions = ImportOption.DoNotIncludeTests.class)
class UiArchitectureTest {

    @ArchTest
    static final ArchRule uiPackagesHaveNoCycles = slices().matching("dev.storyboard.ui.(*)..")
            .should().beFreeOfCycles()
            .because("command, concurrent, dialog, notice and playback at the bottom; generation, timeline, selection, "
                    + "edit, preview, project and inspector above them (docs/EDITOR.md)");

    @ArchTest
    static final ArchRule subpackagesDoNotKnowTheRoot = noClasses().that().resideInAPackage("dev.storyboard.ui.(*)..")
            .should().dependOnClassesThat().resideInAPackage("dev.storyboard.ui")
            .because("the root package is the façade and the window: it wires the feature models, they never see it");
}
