; Squeeze Assistant: Windows installer (Inno Setup 6), ONE setup.exe, no disk spanning.
;
; Build the app first, then the installer (packaging/build.py does both on Windows):
;   python packaging\build.py
; or by hand:
;   python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\app.spec
;   iscc packaging\windows\installer.iss            (the version is read from assistant\__init__.py)
;   iscc /DAppVersion=1.2.3 packaging\windows\installer.iss
;
; Output: dist\squeeze-assistant-<version>-windows-x64-setup.exe
; Installs per user by default (no admin rights; %LOCALAPPDATA%\Programs\Squeeze Assistant), or for
; all users when run as administrator and chosen in the dialog (/ALLUSERS on the command line).
; Uninstall asks (default No) before deleting the user's own data; unins000.exe /PURGE deletes it
; without asking, /VERYSILENT without /PURGE keeps it.
;
; NOT built or tested on the Linux machine this project is developed on: it is built by
; .github/workflows/package.yml on a Windows runner.

#ifndef AppVersion
  ; The version is defined once, in assistant\__init__.py:  __version__ = "X.Y.Z"
  ; (inside an ISPP #sub, assignments must be #expr: a #define there would be local)
  #define VersionFile AddBackslash(SourcePath) + "..\..\assistant\__init__.py"
  #define VersionHandle
  #define VersionLine
  #define AppVersion ""
  #sub ScanVersionLine
    #expr VersionLine = Trim(FileRead(VersionHandle))
    #if (AppVersion == "") && (Pos("__version__", VersionLine) == 1)
      #expr VersionLine = Copy(VersionLine, Pos('"', VersionLine) + 1)
      #expr AppVersion = Copy(VersionLine, 1, Pos('"', VersionLine) - 1)
    #endif
  #endsub
  #expr VersionHandle = FileOpen(VersionFile)
  #if !VersionHandle
    #error Cannot open assistant\__init__.py to read the version
  #endif
  #for {0; !FileEof(VersionHandle); 0} ScanVersionLine
  #expr FileClose(VersionHandle)
  #if AppVersion == ""
    #error No line __version__ = "X.Y.Z" in assistant\__init__.py
  #endif
#endif
#pragma message "Squeeze Assistant version " + AppVersion

#define AppName "Squeeze Assistant"
#define AppDirName "squeeze-assistant"
#define AppExe "SqueezeAssistant.exe"
#define CliExe "assistant.exe"
#define Root AddBackslash(SourcePath) + "..\.."

[Setup]
AppId={{6E0B3E5A-5C2B-4E38-9A7B-2D1F0C9B7A41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Squeeze Assistant developers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; One file: everything in setup.exe, never split into setup-*.bin pieces.
DiskSpanning=no
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
OutputDir={#Root}\dist
OutputBaseFilename={#AppDirName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\packaging\icons\squeeze-assistant.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\{#AppDirName}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Sentiment, intent and answers to questions, offline"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The user's own data: platformdirs' data and log folder, and the QSettings registry key. }
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#AppDirName}');
end;

function PurgeRequested(): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/PURGE') = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Delete: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not DirExists(DataDir()) and not RegKeyExists(HKCU, 'Software\{#AppName}') then
    Exit;
  Delete := PurgeRequested();
  if not Delete and not UninstallSilent() then
    Delete := MsgBox('Also delete your history, logs and settings?' + #13#10#13#10 + DataDir(),
                     mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if Delete then
  begin
    DelTree(DataDir(), True, True, True);
    RegDeleteKeyIncludingSubkeys(HKCU, 'Software\{#AppName}');
  end;
end;
