import { inputError, MaxPoolBertError, type ModelSource } from '@maxpoolbert/core';

/** The part of the DOM `File` we use (Node's File has no webkitRelativePath). */
type PickedFile = Pick<File, 'name' | 'size' | 'arrayBuffer' | 'slice'> & { webkitRelativePath?: string };

/** "model/config.json" → "config.json"; a file picked on its own keeps its name. */
function baseName(file: PickedFile): string {
  const rel = file.webkitRelativePath;
  return rel ? rel.split('/').filter(Boolean).pop() ?? file.name : file.name;
}

/** Where a picked file came from, for messages: its relative path, or its name. */
function shownPath(file: PickedFile): string {
  return file.webkitRelativePath || file.name;
}

/**
 * A model folder the user picked: the files of `<input type="file" multiple>`, or of a
 * `webkitdirectory` input (a whole folder). Nothing is read until asked for; ranges are read
 * with `File.slice`, so a large checkpoint is never held whole.
 */
export class FileListModelSource implements ModelSource {
  private constructor(
    private readonly files: Map<string, PickedFile>,
    readonly location: string,
  ) {}

  /**
   * Wraps picked files by name (the last part of `webkitRelativePath` for a picked folder).
   * `location` defaults to the picked folder's name, or "picked files".
   */
  static fromFiles(files: Iterable<File> | FileList, location?: string): FileListModelSource {
    const byName = new Map<string, PickedFile>();
    const list: PickedFile[] = Array.from(files as Iterable<File>);
    for (const file of list) {
      const name = baseName(file);
      const other = byName.get(name);
      if (other) {
        throw new MaxPoolBertError(
          `two picked files are both named ${name} (${shownPath(other)} and ${shownPath(file)}): pick the files of one model folder (config.json, vocab.txt, model.safetensors), not a folder that holds several models`,
          { file: name },
        );
      }
      byName.set(name, file);
    }
    const folder = list.map((f) => f.webkitRelativePath?.split('/')[0]).find((p): p is string => !!p);
    return new FileListModelSource(byName, location ?? folder ?? 'picked files');
  }

  /** The names of the picked files. */
  names(): string[] {
    return [...this.files.keys()];
  }

  pathOf(name: string): string {
    return `${this.location}/${name}`;
  }

  async has(name: string): Promise<boolean> {
    return this.files.has(name);
  }

  async size(name: string): Promise<number> {
    return this.file(name).size;
  }

  async read(name: string): Promise<Uint8Array> {
    return new Uint8Array(await this.file(name).arrayBuffer());
  }

  async readText(name: string): Promise<string> {
    return new TextDecoder().decode(await this.read(name));
  }

  async readRange(name: string, start: number, end: number): Promise<Uint8Array> {
    const file = this.file(name);
    if (end > file.size) {
      throw inputError(`file ended at byte ${file.size}, expected data up to byte ${end}`, { file: this.pathOf(name), fix: 'the file is truncated; download or save it again' });
    }
    return new Uint8Array(await file.slice(start, end).arrayBuffer());
  }

  private file(name: string): PickedFile {
    const file = this.files.get(name);
    if (!file) {
      throw inputError('file not found', {
        file: this.pathOf(name),
        fix: `pick ${name} together with the model's other files${this.files.size ? ` (picked: ${this.names().join(', ')})` : ''}`,
      });
    }
    return file;
  }
}
