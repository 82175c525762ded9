package dev.storyboard.ui.project;

import dev.storyboard.domain.Take;
import dev.storyboard.domain.project.MediaPaths;
import dev.storyboard.domain.project.MediaStore;
import dev.storyboard.domain.project.ProjectFileException;
import dev.storyboard.domain.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The project a Save As replaces (README, "Where outputs may go"): the take folders its file refers to, read
 * before the file is overwritten. Once the new project is written nothing refers to them any more, so the frames
 * of those the new project does not use are removed with them. Nothing else in its media folder is touched
 * (files the user put there, folders no take of that project named), and a file that does not load as a project
 * owns nothing. Blocking: call from a background thread.
 */
final class ReplacedProject {
    /** Nothing is replaced: a new file, or a save to the open project's own file. */
    static final ReplacedProject NONE = new ReplacedProject(null, List.of());

    private final Path mediaDir;
    private final List<String> takeFolders;

    private ReplacedProject(Path mediaDir, List<String> takeFolders) {
        this.mediaDir = mediaDir;
        this.takeFolders = takeFolders;
    }

    /** The project at {@code file} that is about to be replaced, or {@link #NONE} when no readable project is there. */
    static ReplacedProject at(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            ProjectLoader.Loaded loaded = new ProjectLoader().load(file);
            Set<String> folders = new LinkedHashSet<>();
            loaded.storyboard().shots().forEach(shot -> shot.takes().stream().map(Take::mediaFile)
                    .filter(m -> !m.isEmpty()).forEach(folders::add));
            return new ReplacedProject(loaded.mediaDir(), List.copyOf(folders));
        } catch (ProjectFileException e) {
            return NONE; // what a damaged file referred to is unknown: keep everything
        }
    }

    /**
     * After the new project was written: removes the frames of the replaced project's takes whose folder is not
     * one of {@code kept} (the new project's take folders, copied into the same media folder). Best effort.
     */
    void removeTakesNotIn(Collection<String> kept) {
        if (takeFolders.isEmpty()) {
            return;
        }
        Set<Path> keptDirs = new LinkedHashSet<>();
        kept.forEach(folder -> keptDirs.add(inMedia(folder)));
        for (String folder : takeFolders) {
            Path dir = inMedia(folder);
            if (dir == null || keptDirs.contains(dir)) {
                continue;
            }
            try {
                MediaStore.deleteTakeFrames(mediaDir, folder);
            } catch (IOException e) {
                // a take folder left behind costs disk space, never a project
            }
        }
    }

    /** The take folder in the media folder, or null when {@code folder} is not a media path. */
    private Path inMedia(String folder) {
        try {
            return MediaPaths.resolve(mediaDir, folder);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
