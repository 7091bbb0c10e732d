/**
 * Stands in for a part of the desk that failed to render: without it, an error below (such as a
 * lazily loaded chunk that could not be fetched) would empty the whole tab.
 */
import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { Component, type ReactNode } from 'react';

/** Shows "The {what} could not be shown" in place of its children once they have failed. */
export class LoadBoundary extends Component<{ what: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <MessageBar intent="error" role="alert">
        <MessageBarBody>The {this.props.what} could not be shown: check the connection, then reload the tab.</MessageBarBody>
      </MessageBar>
    );
  }
}
